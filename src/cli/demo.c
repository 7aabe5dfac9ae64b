/* demo.c - a demo city for `make run` and the end-to-end tests: 洛阳市
 * with two districts, schools of every 学段, a user for every role and a
 * few hundred students with valid 身份证号. Deterministic for a seed. */
#include "cli.h"
#include "app/app.h"
#include "db/queries.h"
#include "domain/idcard.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *const DEMO_PASSWORD = "zizhu-demo-2025";

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
	/* xorshift64*: good enough for demo data, same output for a seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static const struct {
	const char *kind, *name, *code, *parent, *stage;
} ORGS[] = {
	{"city", "洛阳市", "410300", NULL, NULL},
	{"district", "西工区", "410303", "410300", NULL},
	{"district", "洛龙区", "410311", "410300", NULL},
	{"school", "西工区第一实验幼儿园", "4103030001", "410303", "preschool"},
	{"school", "西工区实验小学", "4103030002", "410303", "primary"},
	{"school", "西工区第二初级中学", "4103030003", "410303", "junior"},
	{"school", "洛龙区关林小学", "4103110001", "410311", "primary"},
	{"school", "洛龙区第一高级中学", "4103110002", "410311", "senior"},
	{"school", "洛龙区职业中等专业学校", "4103110003", "410311", "vocational"},
};

static const struct {
	const char *username, *name, *role, *org;
} USERS[] = {
	{"city_viewer", "市资助中心 刘芳", "city_viewer", "410300"},
	{"xg_admin", "西工区资助中心 王建国", "district_admin", "410303"},
	{"xg_reviewer", "西工区资助中心 赵敏", "district_reviewer", "410303"},
	{"xg_officer", "实验小学资助专干 陈静", "school_officer", "4103030002"},
	{"xg_committee", "实验小学评议小组 孙磊", "committee_member", "4103030002"},
	{"xg_officer2", "第二初级中学资助专干 周婷", "school_officer", "4103030003"},
	{"ll_admin", "洛龙区资助中心 马俊", "district_admin", "410311"},
	{"ll_officer", "关林小学资助专干 郭雪", "school_officer", "4103110001"},
};

/* grades of a stage with the age of a child in its first grade */
static const struct {
	const char *stage;
	int first_age;
	const char *grades[6];
} GRADES[] = {
	{"preschool", 3, {"小班", "中班", "大班"}},
	{"primary", 6, {"一年级", "二年级", "三年级", "四年级", "五年级", "六年级"}},
	{"junior", 12, {"七年级", "八年级", "九年级"}},
	{"senior", 15, {"高一", "高二", "高三"}},
	{"vocational", 15, {"一年级", "二年级", "三年级"}},
};

static const char *SURNAMES[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				 "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "欧阳"};
static const char *GIVEN[] = {"子", "梓", "浩", "宇", "欣", "怡", "晨", "雨", "轩", "涵", "博",
			      "文", "佳", "思", "诺", "嘉", "俊", "明", "静", "婷", "雪", "磊",
			      "鹏", "辉", "芳", "敏", "一", "睿", "泽", "悦"};
static const char *BANKS[] = {"中国农业银行", "中国工商银行", "中国建设银行", "中国邮政储蓄银行",
			      "洛阳农商银行"};

static size_t stage_index(const char *stage)
{
	size_t g = 0;
	while (g + 1 < sizeof GRADES / sizeof GRADES[0] && strcmp(GRADES[g].stage, stage) != 0)
		g++;
	return g;
}

long long demo_org_id(db_t *db, const char *code)
{
	sqlite3_stmt *o = db_stmt(db, Q_ORG_BY_CODE);
	db_bind_text(o, 1, code);
	json_t *org = db_row(o);
	long long id = org ? json_integer_value(json_object_get(org, "id")) : 0;
	json_decref(org);
	return id;
}

unsigned demo_rnd(unsigned n)
{
	return rnd(n);
}

int demo_grades(const char *stage)
{
	size_t g = stage_index(stage);
	int n = 0;
	while (n < 6 && GRADES[g].grades[n])
		n++;
	return n;
}

int demo_birth_year(const char *stage, int grade)
{
	size_t g = stage_index(stage);
	int age = GRADES[g].first_age + grade;
	if (strcmp(stage, "vocational") == 0 && rnd(10) == 0)
		age += 4 + (int)rnd(4);
	return 2026 - age - (int)rnd(2);
}

int demo_student(db_t *db, long long school_id, const char *region, const char *stage, int grade,
		 int nclasses, int seq, int birth_year, int birth_day)
{
	size_t g = stage_index(stage);
	int male = seq % 2;
	char name[64], id[32], guardian[64], phone[16], account[24], klass[16];
	snprintf(name, sizeof name, "%s%s%s", SURNAMES[rnd(20)], GIVEN[rnd(30)], rnd(3) ? GIVEN[rnd(30)] : "");
	snprintf(guardian, sizeof guardian, "%s%s%s", SURNAMES[rnd(20)], GIVEN[rnd(30)], GIVEN[rnd(30)]);
	int year, month, day;
	if (birth_year < 0) {
		int age = GRADES[g].first_age + grade;
		/* a few over-age 中职 students, as real lists have */
		if (strcmp(stage, "vocational") == 0 && rnd(10) == 0)
			age += 4 + (int)rnd(4);
		year = 2026 - age - (int)rnd(2);
		month = 1 + (int)rnd(12);
		day = 1 + (int)rnd(28);
	} else {
		/* the caller keeps the sequence unique per birth date (day 0-335) */
		year = birth_year;
		month = 1 + birth_day / 28;
		day = 1 + birth_day % 28;
	}
	snprintf(id, sizeof id, "%.6s%04d%02d%02d%03d", region, year, month, day, seq % 1000);
	id[17] = idcard_check_char(id);
	id[18] = '\0';
	snprintf(phone, sizeof phone, "1%u%09u", 3 + rnd(7), rnd(1000000000));
	snprintf(account, sizeof account, "62%03u%07u%07u", rnd(1000), rnd(10000000), rnd(10000000));
	snprintf(klass, sizeof klass, "%u班", 1 + rnd((unsigned)(nclasses > 0 ? nclasses : 1)));
	int boarding = (strcmp(stage, "junior") == 0 || strcmp(stage, "senior") == 0 ||
			strcmp(stage, "vocational") == 0) && rnd(3) == 0;
	sqlite3_stmt *s = db_stmt(db, Q_STUDENT_INSERT);
	sqlite3_bind_int64(s, 1, school_id);
	db_bind_text(s, 2, name);
	db_bind_text(s, 3, male ? "男" : "女");
	db_bind_text(s, 4, id);
	char xj[40];
	snprintf(xj, sizeof xj, "G%s", id);
	db_bind_text(s, 5, xj);
	db_bind_text(s, 6, stage);
	db_bind_text(s, 7, GRADES[g].grades[grade]);
	db_bind_text(s, 8, klass);
	sqlite3_bind_int(s, 9, boarding);
	db_bind_text(s, 10, rnd(3) ? "农村" : "城镇");
	db_bind_text(s, 11, guardian);
	db_bind_text(s, 12, phone);
	db_bind_text(s, 13, rnd(2) ? "社保卡" : "资助卡");
	db_bind_text(s, 14, account);
	db_bind_text(s, 15, BANKS[rnd(5)]);
	return db_exec_stmt(s) == SQLITE_DONE ? 0 : -1;
}

int demo_fill(db_t *db, int nstudents, unsigned seed, char *err, size_t errlen)
{
	sqlite3_stmt *chk = db_stmt(db, Q_ORG_BY_CODE);
	db_bind_text(chk, 1, "410300");
	json_t *city = db_row(chk);
	if (city) {
		json_decref(city);
		return 1;
	}
	for (size_t i = 0; i < sizeof ORGS / sizeof ORGS[0]; i++)
		if (cli_org_add(db, ORGS[i].kind, ORGS[i].name, ORGS[i].code, ORGS[i].parent,
				ORGS[i].stage, err, errlen) < 0)
			return -1;
	for (size_t i = 0; i < sizeof USERS / sizeof USERS[0]; i++)
		if (cli_user_add(db, USERS[i].username, USERS[i].name, USERS[i].role, USERS[i].org,
				 DEMO_PASSWORD, err, errlen) < 0)
			return -1;

	rng_state = 0x9E3779B97F4A7C15ULL ^ seed;
	if (db_begin(db) != SQLITE_OK)
		goto dberr;
	int nschools = 0;
	for (size_t i = 0; i < sizeof ORGS / sizeof ORGS[0]; i++)
		nschools += strcmp(ORGS[i].kind, "school") == 0;
	int made = 0, counter = 0;
	for (size_t i = 0; i < sizeof ORGS / sizeof ORGS[0]; i++) {
		if (strcmp(ORGS[i].kind, "school") != 0)
			continue;
		long long school_id = demo_org_id(db, ORGS[i].code);
		int ngrades = demo_grades(ORGS[i].stage);
		int share = nstudents / nschools + (made < nstudents % nschools ? 1 : 0);
		for (int k = 0; k < share; k++, made++, counter++) {
			int male = (int)rnd(2);
			if (demo_student(db, school_id, ORGS[i].parent, ORGS[i].stage, k % ngrades, 3,
					 (counter * 2 + male) % 1000, -1, -1) != 0)
				goto dberr;
		}
	}
	json_t *after = json_pack("{s:i, s:i}", "students", made, "seed", (int)seed);
	int rc = audit_cli(db, "demo.fill", "student", 0, 1, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(db) != SQLITE_OK)
		goto dberr;
	return 0;
dberr:
	snprintf(err, errlen, "无法写入演示数据：%s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

void demo_print_users(db_t *db)
{
	printf("演示账号（密码均为 %s）：\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof USERS / sizeof USERS[0]; i++) {
		sqlite3_stmt *s = db_stmt(db, Q_ORG_BY_CODE);
		db_bind_text(s, 1, USERS[i].org);
		json_t *o = db_row(s);
		printf("  %-14s %-8s  %s\n", USERS[i].username, role_label(USERS[i].role),
		       o ? json_string_value(json_object_get(o, "name")) : "?");
		json_decref(o);
	}
}
