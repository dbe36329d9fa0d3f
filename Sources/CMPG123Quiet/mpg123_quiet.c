// Keeps libmpg123's diagnostics ("Note: Illegal Audio-MPEG-Header ...", "error: Giving up resync ...") off the
// terminal. libsndfile creates and drives the mpg123 handle itself and never sets MPG123_QUIET, so this file
// interposes the two entry points it calls to create and open a handle (the executable's definitions come first
// in the dynamic symbol lookup) and adds the flag before handing over to the real functions (dlsym RTLD_NEXT).
// Our own decoder errors say what is wrong with the file; mpg123's lines would only repeat it in its words.
// Not a mock: the real library does all the work. Redirecting stderr instead would race with other threads' output.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include "mpg123_quiet.h"

// From mpg123.h (API 45+; not installed with the runtime package): enum mpg123_parms / mpg123_param_flags.
enum { LIKENESS_MPG123_ADD_FLAGS = 2, LIKENESS_MPG123_QUIET = 0x20 };

typedef struct mpg123_handle_struct mpg123_handle;
typedef mpg123_handle *(*new_fn)(const char *, int *);
typedef int (*open_handle_fn)(mpg123_handle *, void *);
typedef int (*param2_fn)(mpg123_handle *, int, long, double);

static atomic_int quieted;

static void make_quiet(mpg123_handle *handle) {
    static param2_fn param2;
    if (!param2) param2 = (param2_fn)dlsym(RTLD_DEFAULT, "mpg123_param2");
    if (!param2) param2 = (param2_fn)dlsym(RTLD_DEFAULT, "mpg123_param");
    if (handle && param2 && param2(handle, LIKENESS_MPG123_ADD_FLAGS, LIKENESS_MPG123_QUIET, 0.0) == 0) {
        atomic_store(&quieted, 1);
    }
}

mpg123_handle *mpg123_new(const char *decoder, int *error) {
    static new_fn real;
    if (!real) real = (new_fn)dlsym(RTLD_NEXT, "mpg123_new");
    if (!real) {
        if (error) *error = -1;  // MPG123_ERR
        return NULL;
    }
    mpg123_handle *handle = real(decoder, error);
    make_quiet(handle);
    return handle;
}

// Set again just before the stream is opened, in case the caller replaced the flags after creating the handle.
int mpg123_open_handle(mpg123_handle *handle, void *io) {
    static open_handle_fn real;
    if (!real) real = (open_handle_fn)dlsym(RTLD_NEXT, "mpg123_open_handle");
    if (!real) return -1;
    make_quiet(handle);
    return real(handle, io);
}

int likeness_mpg123_quieted(void) { return atomic_load(&quieted); }
