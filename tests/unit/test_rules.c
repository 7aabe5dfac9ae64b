/* Tests for the roster rules and the 量化 score. */
#include "domain/idcard.h"
#include "domain/score.h"
#include "domain/student.h"
#include "test.h"

static json_t *student(const char *name, const char *gender, const char *id, const char *stage)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", name, "gender", gender, "idcard", id,
			 "stage", stage, "grade", "三年级", "class_name", "2班");
}

static void test_student(void)
{
	json_t *e = json_object();
	json_t *s = student("王小明", "女", "11010519491231002x", "小学");
	CHECK_INT(student_check(s, e, 20261123), 0);
	CHECK_STR(json_string_value(json_object_get(s, "idcard")), "11010519491231002X");
	CHECK_STR(json_string_value(json_object_get(s, "stage")), "primary");
	CHECK_STR(json_string_value(json_object_get(s, "boarding")), "0");
	json_decref(s);
	json_decref(e);

	/* 17th digit 2 is even: female; 男 is refused */
	e = json_object();
	s = student("王小明", "男", "11010519491231002X", "primary");
	CHECK_INT(student_check(s, e, 20261123), 1);
	CHECK(json_object_get(e, "gender") != NULL);
	json_decref(s);
	json_decref(e);

	e = json_object();
	s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", "", "gender", "x",
		      "idcard", "123", "stage", "大学预科", "grade", "", "boarding", "住校", "hukou", "外星",
		      "phone", "12ab", "account_no", "1e+17", "xueji_no", "G-1");
	int n = student_check(s, e, 20261123);
	const char *keys[] = {"name", "gender", "idcard", "stage", "grade", "class_name", "boarding",
			      "hukou", "phone", "account_no", "account_type", "xueji_no"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		CHECK(json_object_get(e, keys[i]) != NULL);
		if (!json_object_get(e, keys[i]))
			fprintf(stderr, "  no error for %s\n", keys[i]);
	}
	CHECK_INT(n, (int)json_object_size(e));
	json_decref(s);
	json_decref(e);

	/* 城/乡 and 寄宿 spellings from spreadsheets */
	e = json_object();
	s = student("李四", "女", "11010519491231002X", "普通高中");
	json_object_set_new(s, "hukou", json_string("乡"));
	json_object_set_new(s, "boarding", json_string("寄宿"));
	json_object_set_new(s, "account_type", json_string("社保卡"));
	json_object_set_new(s, "account_no", json_string("6217000011112222333"));
	CHECK_INT(student_check(s, e, 20261123), 0);
	CHECK_STR(json_string_value(json_object_get(s, "hukou")), "农村");
	CHECK_STR(json_string_value(json_object_get(s, "boarding")), "1");
	CHECK_STR(json_string_value(json_object_get(s, "stage")), "senior");
	json_decref(s);
	json_decref(e);
	/* a name with a control character, a name too long */
	e = json_object();
	s = student("王\x01明", "女", "11010519491231002X", "小学");
	CHECK_INT(student_check(s, e, 0), 1);
	json_decref(s);
	json_decref(e);
	CHECK_STR(stage_code("中职"), "vocational");
	CHECK(stage_code("' OR 1=1 --") == NULL);
	CHECK(stage_code(NULL) == NULL);
}

static json_t *weights(void)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}",
			 "income_below_1_fen", 300000, "income_below_1", 30, "income_below_2_fen", 600000,
			 "income_below_2", 20, "income_below_3_fen", 1000000, "income_below_3", 10,
			 "member_ill", 10, "member_unemployed", 5, "housing_poor", 10, "major_event", 10,
			 "single_parent", 10, "large_family", 5);
}

static void test_score(void)
{
	json_t *w = weights(), *d = NULL;
	/* 4 people, 9,600 元: 2,400 per head -> band 1 (30); 低保 30; one 重病 10; 危房 10 */
	json_t *a = json_pack("{s:i, s:i, s:s, s:s, s:i, s:[{s:s, s:i}, {s:s, s:i}], s:[{s:s, s:i}]}",
			      "household_size", 4, "income_fen", 960000, "housing", "危房", "major_event", "",
			      "single_parent", 0, "members", "health", "重病", "unemployed", 0, "health", "健康",
			      "unemployed", 0, "categories", "name", "最低生活保障家庭", "points", 30);
	CHECK_INT(score_compute(a, w, &d), 80);
	CHECK_INT(json_array_size(d), 4);
	json_decref(d);
	/* exactly on the threshold is not below it: 3,000.00 per head -> band 2 */
	json_object_set_new(a, "income_fen", json_integer(1200000));
	CHECK_INT(score_compute(a, w, &d), 70);
	json_decref(d);
	/* one fen under the threshold: band 1 */
	json_object_set_new(a, "income_fen", json_integer(1199996));
	CHECK_INT(score_compute(a, w, &d), 80);
	json_decref(d);
	/* capped at 100 */
	json_object_set_new(a, "single_parent", json_integer(1));
	json_object_set_new(a, "major_event", json_string("火灾"));
	json_object_set_new(a, "household_size", json_integer(6));
	json_array_append_new(json_object_get(a, "categories"), json_pack("{s:s, s:i}", "name", "孤儿", "points", 40));
	CHECK_INT(score_compute(a, w, &d), SCORE_MAX);
	json_decref(d);
	/* income not given (null): no income points at all */
	json_t *noinc = json_pack("{s:i, s:n}", "household_size", 4, "income_fen");
	CHECK_INT(score_compute(noinc, w, &d), 0);
	json_decref(d);
	json_decref(noinc);
	/* nothing filled in: 0, no division by zero */
	json_t *empty = json_object();
	CHECK_INT(score_compute(empty, w, &d), 0);
	CHECK_INT(json_array_size(d), 0);
	json_decref(d);
	json_decref(empty);
	json_decref(a);
	json_decref(w);
	CHECK(health_counts("残疾") && health_counts("丧失劳动能力") && !health_counts("健康") && !health_counts(NULL));
	CHECK(housing_counts("租住") && !housing_counts("自有住房"));
}

int main(void)
{
	test_student();
	test_score();
	TEST_MAIN_END();
}
