/* sanitized.h - ZZ_SANITIZED is 1 in a build under AddressSanitizer (gcc
 * or clang), else 0: what it cannot watch (a private allocator) is turned
 * off, and timing checks make no sense under it. */
#ifndef ZZ_SANITIZED_H
#define ZZ_SANITIZED_H
#if defined(__SANITIZE_ADDRESS__)
#define ZZ_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZZ_SANITIZED 1
#endif
#endif
#ifndef ZZ_SANITIZED
#define ZZ_SANITIZED 0
#endif
#endif
