/* score.c - the 量化 score. */
#include "score.h"
#include "format.h"
#include <stdio.h>
#include <string.h>

int health_counts(const char *h)
{
	return h && (strcmp(h, "重病") == 0 || strcmp(h, "残疾") == 0 || strcmp(h, "丧失劳动能力") == 0);
}

int housing_counts(const char *h)
{
	return h && (strcmp(h, "危房") == 0 || strcmp(h, "无房") == 0 || strcmp(h, "租住") == 0);
}

static json_int_t w(json_t *weights, const char *k)
{
	return json_integer_value(json_object_get(weights, k));
}

static void add(json_t *detail, int *total, const char *item, json_int_t points)
{
	if (points <= 0)
		return;
	json_array_append_new(detail, json_pack("{s:s, s:I}", "item", item, "points", points));
	*total += (int)points;
}

int score_compute(json_t *app, json_t *weights, json_t **detail)
{
	json_t *d = json_array();
	int total = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(app, "categories"), i, x)
		add(d, &total, json_string_value(json_object_get(x, "name")),
		    json_integer_value(json_object_get(x, "points")));

	json_int_t size = json_integer_value(json_object_get(app, "household_size"));
	json_t *inc = json_object_get(app, "income_fen");
	json_int_t income = json_integer_value(inc);
	if (size > 0 && json_is_integer(inc)) {
		json_int_t per = income / size;
		char item[96], yuan[32];
		money_format_yuan(per, yuan, sizeof yuan);
		snprintf(item, sizeof item, "家庭人均年收入 %s 元", yuan);
		for (int band = 1; band <= 3; band++) {
			char kf[32], kp[32];
			snprintf(kf, sizeof kf, "income_below_%d_fen", band);
			snprintf(kp, sizeof kp, "income_below_%d", band);
			if (json_object_get(weights, kf) && per < w(weights, kf)) {
				add(d, &total, item, w(weights, kp));
				break;
			}
		}
	}
	if (size >= 5)
		add(d, &total, "家庭人口 5 人及以上", w(weights, "large_family"));
	int ill = 0, unemployed = 0;
	json_array_foreach(json_object_get(app, "members"), i, x)
	{
		ill += health_counts(json_string_value(json_object_get(x, "health")));
		unemployed += json_integer_value(json_object_get(x, "unemployed")) != 0;
	}
	if (ill) {
		char item[64];
		snprintf(item, sizeof item, "家庭成员重病、残疾或丧失劳动能力 %d 人", ill);
		add(d, &total, item, w(weights, "member_ill") * ill);
	}
	if (unemployed) {
		char item[64];
		snprintf(item, sizeof item, "家庭成员无业 %d 人", unemployed);
		add(d, &total, item, w(weights, "member_unemployed") * unemployed);
	}
	if (housing_counts(json_string_value(json_object_get(app, "housing"))))
		add(d, &total, "住房困难", w(weights, "housing_poor"));
	const char *ev = json_string_value(json_object_get(app, "major_event"));
	if (ev && *ev)
		add(d, &total, "家庭遭遇重大变故", w(weights, "major_event"));
	if (json_integer_value(json_object_get(app, "single_parent")))
		add(d, &total, "单亲家庭", w(weights, "single_parent"));
	*detail = d;
	return total > SCORE_MAX ? SCORE_MAX : total;
}
