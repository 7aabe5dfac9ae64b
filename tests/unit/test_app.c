/* Tests for the route table, route matching, roles and password rules. */
#include "app/app.h"
#include "domain/password.h"
#include "test.h"
#include <sodium.h>

static void test_routes(void)
{
	/* no duplicates, every route named and guarded */
	for (size_t i = 0; i < ROUTE_COUNT; i++) {
		const route_t *r = &ROUTES[i];
		CHECK(r->fn != NULL);
		CHECK(r->name && *r->name);
		CHECK(strcmp(r->method, "GET") == 0 || strcmp(r->method, "POST") == 0);
		CHECK(r->pattern[0] == '/');
		if (!(r->flags & R_PUBLIC))
			CHECK(r->roles != 0 && (r->roles & ~ROLE_STAFF) == 0);
		/* a public POST must carry the pre-session token */
		if (strcmp(r->method, "POST") == 0 && (r->flags & R_PUBLIC))
			CHECK(r->flags & R_ANON_CSRF);
		/* a refused field is named as the form shows it, in Chinese */
		for (const field_t *f = r->fields; f && f->name; f++)
			CHECK(f->label && (unsigned char)f->label[0] >= 0x80);
		for (size_t j = i + 1; j < ROUTE_COUNT; j++) {
			int same = strcmp(r->method, ROUTES[j].method) == 0 &&
				   strcmp(r->pattern, ROUTES[j].pattern) == 0;
			if (same)
				fprintf(stderr, "duplicate route %s %s\n", r->method, r->pattern);
			CHECK(!same);
			CHECK(strcmp(r->name, ROUTES[j].name) != 0);
		}
	}
	int64_t id = 0;
	CHECK(route_match("/students/:id", "/students/42", &id));
	CHECK_INT(id, 42);
	CHECK(!route_match("/students/:id", "/students/0", &id));
	CHECK(!route_match("/students/:id", "/students/-1", &id));
	CHECK(!route_match("/students/:id", "/students/abc", &id));
	CHECK(!route_match("/students/:id", "/students/", &id));
	CHECK(!route_match("/students/:id", "/students/1/", &id));
	CHECK(!route_match("/students/:id", "/students/99999999999999999999", &id));
	CHECK(route_match("/students/:id", "/students/9223372036854775799", &id));
	CHECK(!route_match("/students", "/students/", &id));
	CHECK(route_match("/", "/", &id));
	CHECK(!route_match("/", "", &id));
	CHECK(!route_match("/admin/users", "/admin/users/new", &id));
}

static void test_roles(void)
{
	CHECK_INT(role_bit("school_officer"), ROLE_OFFICER);
	CHECK_INT(role_bit("nobody"), 0);
	CHECK_INT(role_bit(NULL), 0);
	CHECK_STR(role_label("district_admin"), "区级管理员");
	CHECK_STR(role_org_kind("committee_member"), "school");
	CHECK_STR(role_org_kind("city_viewer"), "city");
	CHECK(role_org_kind("root") == NULL);
	int n = 0;
	for (int i = 0; ROLE_CODES[i]; i++, n++)
		CHECK(role_bit(ROLE_CODES[i]) != 0);
	CHECK_INT(n, 5);
}

static void test_passwords(void)
{
	CHECK(password_problem("short1", "u") != NULL);
	CHECK(password_problem("abcdefghij", "u") != NULL);
	CHECK(password_problem("1234567890", "u") != NULL);
	CHECK(password_problem("zhangsan01", "ZhangSan01") != NULL);
	CHECK(password_problem("zizhu-demo-2025", "u") == NULL);
	CHECK(password_problem("资助系统密码很安全1", "u") == NULL);
	char hash[PASSWORD_HASH_MAX];
	CHECK_INT(password_hash("right-pass-1", hash), 0);
	CHECK(strncmp(hash, "$argon2id$", 10) == 0);
	CHECK(password_verify(hash, "right-pass-1"));
	CHECK(!password_verify(hash, "wrong-pass-1"));
	CHECK(!password_verify(hash, ""));
	CHECK(!password_verify(NULL, "right-pass-1"));
	CHECK(!password_verify("", "right-pass-1"));
	char h1[65], h2[65];
	random_hex(h1, 32);
	random_hex(h2, 32);
	CHECK_INT(strlen(h1), 64);
	CHECK(strcmp(h1, h2) != 0);
	sha256_hex("abc", 3, h1);
	CHECK_STR(h1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_routes();
	test_roles();
	test_passwords();
	TEST_MAIN_END();
}
