/* fileval.h — FILE_CHECK's reading of a file's contents (pure, no I/O):
 * the number in it, and what it means for the real server (keepalived's
 * track_file rules as lvsd applies them; lvsd.ini(5), FILE_CHECK). */
#ifndef LVSD_FILEVAL_H
#define LVSD_FILEVAL_H

#include <stddef.h>

#define FILEVAL_MAX 64            /* bytes read: a number and some blanks */
#define FILEVAL_LIMIT 2147483647ll /* values beyond +-it are refused */

/* The number in buf[0..n) (not NUL-ended, n <= FILEVAL_MAX): blanks
 * (space, tab, CR, LF), an optional sign, decimal digits, blanks; nothing
 * but blanks is 0. 0, -ERANGE (beyond +-FILEVAL_LIMIT: an error, never
 * clamped), or -EINVAL (anything else, or n > FILEVAL_MAX: a file too
 * long to be a number). */
int fileval_parse(const char *buf, size_t n, long long *out);

/* The verdict for value v and file_weight weight (sign of reverse
 * applied, |weight| <= FILEVAL_LIMIT): returns 1 healthy, 0 down. With
 * weight 0: healthy iff v == 0 (*product = 0). Otherwise *product =
 * v x weight, clamped to +-FILEVAL_LIMIT; healthy iff it is >= 0. */
int fileval_verdict(long long v, long long weight, long long *product);

#endif
