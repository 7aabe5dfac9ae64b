/* score.h - the 量化 score that ranks applicants (按家庭贫困程度排出名次),
 * from the facts on the form and the weights the district sets. */
#ifndef ZZ_SCORE_H
#define ZZ_SCORE_H
#include <jansson.h>

#define SCORE_MAX 100

/* app: {"household_size": int, "income_fen": int (家庭年总收入),
 *       "housing": str, "major_event": str, "single_parent": 0/1,
 *       "members": [{"health": str, "unemployed": 0/1}, ...],
 *       "categories": [{"name": str, "points": int}, ...]}
 * weights: {"income_below_1_fen": int, "income_below_1": int, ... } (see
 * sql/002). Returns the score, at most SCORE_MAX; *detail (new reference)
 * lists each item that counted: [{"item": "…", "points": n}]. */
int score_compute(json_t *app, json_t *weights, json_t **detail);
/* The 健康状况 values that count as a member unable to work or seriously ill. */
int health_counts(const char *health);
/* The 住房 values that count as poor housing. */
int housing_counts(const char *housing);

#endif
