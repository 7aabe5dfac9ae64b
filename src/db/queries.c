/* queries.c - the statement table. */
#include "queries.h"

#define QUERY_TEXT(id, sql) sql,
const char *const QUERY_SQL[] = {QUERY_LIST(QUERY_TEXT)};
