// Debian's libopenblas-dev installs cblas.h through the alternatives system;
// openblas_set_num_threads is declared there too.
#include <cblas.h>
