/* password.h - password hashing (argon2id via libsodium) and the rules a
 * new password must meet. sodium_init() must have been called. */
#ifndef ZZ_PASSWORD_H
#define ZZ_PASSWORD_H
#include <stddef.h>

#define PASSWORD_HASH_MAX 128  /* >= crypto_pwhash_STRBYTES */

/* Hash pw into out (NUL-terminated crypto_pwhash_str format). 0 or -1. */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* 1 if pw matches hash. For an unknown user pass hash NULL: a dummy hash
 * is checked all the same, so timing does not tell whether a user exists. */
int password_verify(const char *hash, const char *pw);
/* NULL if pw is acceptable for username, else a Chinese message saying
 * what to change: at least 8 characters, at most 128 bytes, two of
 * letters/digits/symbols, not the user name. */
const char *password_problem(const char *pw, const char *username);

#endif
