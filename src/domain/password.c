/* password.c - argon2id hashes and the password rules. */
#include "password.h"
#include <sodium.h>
#include <string.h>
#include <strings.h>

/* Interactive limits: about a tenth of a second and 64 MiB per hash. */
#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, pw, strlen(pw), OPS, MEM) == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *pw)
{
	static char dummy[PASSWORD_HASH_MAX];
	if (!hash || !*hash) {
		if (!dummy[0] && password_hash("zizhu-no-such-user", dummy) != 0)
			return 0;
		if (crypto_pwhash_str_verify(dummy, pw, strlen(pw)) == 0)
			return 0;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

const char *password_problem(const char *pw, const char *username)
{
	size_t n = 0, bytes = strlen(pw);
	int letters = 0, digits = 0, others = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			n++;
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			letters = 1;
		else if (*p >= '0' && *p <= '9')
			digits = 1;
		else
			others = 1;
	}
	if (n < 8)
		return "密码至少需要 8 个字符。";
	if (bytes > 128)
		return "密码过长（最多 128 字节），请换一个短一些的密码。";
	if (letters + digits + others < 2)
		return "密码需要包含字母、数字、符号中的至少两类。";
	if (username && strcasecmp(pw, username) == 0)
		return "密码不能与用户名相同。";
	return NULL;
}
