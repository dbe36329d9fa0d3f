#ifndef LIKENESS_MPG123_QUIET_H
#define LIKENESS_MPG123_QUIET_H

/// 1 once an mpg123 handle made by libsndfile has been set quiet (see mpg123_quiet.c), else 0.
int likeness_mpg123_quieted(void);

#endif
