/* student.c - roster entry rules. */
#include "student.h"
#include "format.h"
#include "idcard.h"
#include <string.h>

const student_field STUDENT_FIELDS[] = {
	{"name", "姓名", "必填", 1},
	{"gender", "性别", "必填：男 或 女，须与身份证号一致", 1},
	{"idcard", "身份证号", "必填：18 位，请把本列设为“文本”格式，以免 Excel 改成科学计数法", 1},
	{"xueji_no", "学籍号", "选填：全国学籍号", 0},
	{"stage", "学段", "必填：学前、小学、初中、普通高中 或 中职", 1},
	{"grade", "年级", "必填：如 一年级、七年级、高一、中班", 1},
	{"class_name", "班级", "必填：如 2班", 1},
	{"boarding", "就读方式", "走读 或 寄宿，空着按走读", 0},
	{"hukou", "户籍", "城镇 或 农村", 0},
	{"guardian", "监护人", "选填", 0},
	{"phone", "联系电话", "选填：手机或固定电话", 0},
	{"account_type", "账户类型", "资助卡 或 社保卡", 0},
	{"account_no", "账号", "资助卡或社保卡卡号，请设为文本格式", 0},
	{"bank", "开户银行", "选填", 0},
};

const char *stage_code(const char *s)
{
	static const char *const map[][2] = {
		{"preschool", "preschool"}, {"学前", "preschool"},    {"学前教育", "preschool"},
		{"幼儿园", "preschool"},    {"primary", "primary"},     {"小学", "primary"},
		{"junior", "junior"},       {"初中", "junior"},         {"senior", "senior"},
		{"高中", "senior"},         {"普通高中", "senior"},     {"vocational", "vocational"},
		{"中职", "vocational"},     {"中等职业教育", "vocational"}, {"higher", "higher"},
		{"高等教育", "higher"},     {"大学", "higher"},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

_Static_assert(sizeof STUDENT_FIELDS / sizeof STUDENT_FIELDS[0] == SF_COUNT,
	       "STUDENT_FIELDS and the SF_ indexes disagree");

/* Record the first problem with field k; every problem counts. */
static int err(student_row *s, int k, const char *msg)
{
	if (!s->msg[k]) {
		s->msg[k] = msg;
		s->order[s->nmsg++] = k;
	}
	return 1;
}

/* Plain text of at most max characters, no control characters. */
static int text_ok(student_row *s, int k, size_t max)
{
	const char *v = s->v[k];
	if (has_control(v))
		return err(s, k, "含有不可见的控制字符，请重新输入。");
	if (utf8_chars(v) > max)
		return err(s, k, "内容过长，请删减。");
	return 0;
}

int student_check_row(student_row *s, int today)
{
	int n = 0;
	for (int i = 0; i < SF_COUNT; i++)
		if (!s->v[i])
			s->v[i] = "";

	const char *name = s->v[SF_NAME];
	if (!*name)
		n += err(s, SF_NAME, "请填写姓名。");
	else
		n += text_ok(s, SF_NAME, 32);

	idcard_result ir = idcard_check(s->v[SF_IDCARD], today, s->id);
	if (ir != IDCARD_OK)
		n += err(s, SF_IDCARD, idcard_message(ir));
	else
		s->v[SF_IDCARD] = s->id;

	const char *g = s->v[SF_GENDER];
	if (strcmp(g, "男") != 0 && strcmp(g, "女") != 0)
		n += err(s, SF_GENDER, "请选择性别：男 或 女。");
	else if (ir == IDCARD_OK && (strcmp(g, "男") == 0) != idcard_is_male(s->id))
		n += err(s, SF_GENDER, "性别与身份证号第 17 位不一致（奇数为男，偶数为女），请核对。");

	const char *xj = s->v[SF_XUEJI_NO];
	if (strlen(xj) > 32 || strspn(xj, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != strlen(xj))
		n += err(s, SF_XUEJI_NO, "学籍号只能包含字母和数字，最多 32 位。");

	const char *st = stage_code(s->v[SF_STAGE]);
	if (!st)
		n += err(s, SF_STAGE, "请选择学段：学前、小学、初中、普通高中 或 中职。");
	else
		s->v[SF_STAGE] = st;

	if (!*s->v[SF_GRADE])
		n += err(s, SF_GRADE, "请填写年级。");
	else
		n += text_ok(s, SF_GRADE, 16);
	if (!*s->v[SF_CLASS_NAME])
		n += err(s, SF_CLASS_NAME, "请填写班级。");
	else
		n += text_ok(s, SF_CLASS_NAME, 16);

	const char *b = s->v[SF_BOARDING];
	if (!*b || strcmp(b, "0") == 0 || strcmp(b, "走读") == 0 || strcmp(b, "否") == 0)
		s->v[SF_BOARDING] = "0";
	else if (strcmp(b, "1") == 0 || strcmp(b, "寄宿") == 0 || strcmp(b, "是") == 0)
		s->v[SF_BOARDING] = "1";
	else
		n += err(s, SF_BOARDING, "就读方式请填 走读 或 寄宿。");

	const char *h = s->v[SF_HUKOU];
	if (strcmp(h, "城") == 0 || strcmp(h, "城镇") == 0 || strcmp(h, "城市") == 0)
		s->v[SF_HUKOU] = "城镇";
	else if (strcmp(h, "乡") == 0 || strcmp(h, "农村") == 0 || strcmp(h, "乡村") == 0)
		s->v[SF_HUKOU] = "农村";
	else if (*h)
		n += err(s, SF_HUKOU, "户籍请填 城镇 或 农村。");

	n += text_ok(s, SF_GUARDIAN, 32);
	const char *p = s->v[SF_PHONE];
	if (*p && (strlen(p) < 7 || strlen(p) > 20 || strspn(p, "0123456789-") != strlen(p)))
		n += err(s, SF_PHONE, "联系电话只能填数字和 -，如 13812345678 或 0379-12345678。");

	const char *at = s->v[SF_ACCOUNT_TYPE];
	const char *an = s->v[SF_ACCOUNT_NO];
	if (*at && strcmp(at, "资助卡") != 0 && strcmp(at, "社保卡") != 0)
		n += err(s, SF_ACCOUNT_TYPE, "账户类型请选 资助卡 或 社保卡。");
	if (*an && (strlen(an) < 8 || strlen(an) > 30 || strspn(an, "0123456789") != strlen(an)))
		n += err(s, SF_ACCOUNT_NO, "账号应为 8-30 位数字；若 Excel 显示为科学计数法，请把该列设为文本后重新录入。");
	if (*an && !*at)
		n += err(s, SF_ACCOUNT_TYPE, "填写了账号，请同时选择账户类型。");
	if (*at && !*an)
		n += err(s, SF_ACCOUNT_NO, "选择了账户类型，请同时填写账号。");
	n += text_ok(s, SF_BANK, 64);
	return n;
}

int student_check(json_t *s, json_t *errors, int today)
{
	student_row r;
	memset(&r, 0, sizeof r);
	for (int i = 0; i < SF_COUNT; i++) {
		r.v[i] = json_string_value(json_object_get(s, STUDENT_FIELDS[i].key));
		/* a problem the caller already found stays the one reported */
		if (json_object_get(errors, STUDENT_FIELDS[i].key))
			r.msg[i] = "";
	}
	int n = student_check_row(&r, today);
	/* json_string() copies before the old value goes */
	for (int i = 0; i < SF_COUNT; i++)
		json_object_set_new(s, STUDENT_FIELDS[i].key, json_string(r.v[i]));
	for (int i = 0; i < r.nmsg; i++)
		json_object_set_new(errors, STUDENT_FIELDS[r.order[i]].key, json_string(r.msg[r.order[i]]));
	return n;
}

const char *app_status_label(const char *s)
{
	static const char *const map[][2] = {
		{"draft", "草稿"},          {"submitted", "已提交"},         {"withdrawn", "已撤回"},
		{"returned", "已退回修改"}, {"class_reviewed", "班级已评议"}, {"school_reviewed", "学校已审核"},
		{"approved", "已批准"},     {"rejected", "未通过"},
	};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return s ? s : "";
}
