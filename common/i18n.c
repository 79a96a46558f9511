/*
 * i18n - English, or Japanese from the table scripts/potool compiles from
 * po/ja.po. The language is read once from the environment, the way POSIX
 * programs choose the language of their messages: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set and not empty. setlocale() is not
 * needed, so it works where no Japanese locale is installed.
 */
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

int
i18n_japanese(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	static int japanese = -1;
	const char *value;
	size_t i;

	if (japanese >= 0)
		return japanese;
	japanese = 0;
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if ((value = getenv(vars[i])) != NULL && value[0] != '\0') {
			japanese = strncmp(value, "ja", 2) == 0;
			break;
		}
	return japanese;
}

static int
by_msgid(const void *key, const void *entry)
{
	return strcmp(key, ((const struct i18n_entry *)entry)->msgid);
}

const char *
i18n_text_for(const char *msgid, int japanese)
{
	const struct i18n_entry *e;

	if (!japanese)
		return msgid;
	e = bsearch(msgid, i18n_ja, i18n_ja_count, sizeof i18n_ja[0], by_msgid);
	return e != NULL ? e->msgstr : msgid;
}

const char *
i18n_text(const char *msgid)
{
	return i18n_text_for(msgid, i18n_japanese());
}
