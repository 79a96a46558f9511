/*
 * i18n - the programs' prose in the student's language: English, or
 * Japanese when the locale says ja, as LC_ALL, then LC_MESSAGES, then LANG
 * decide. No locale needs to be installed: the Japanese is compiled in
 * (po/ja.po, through scripts/potool), and no libintl is used.
 *
 * Only prose is translated. lsof's notation, call and errno names,
 * commands, URLs, header names and numbers stay as they are.
 */
#ifndef PORTLAB_I18N_H
#define PORTLAB_I18N_H

#include <stddef.h>

/* The text to print for English msgid: itself, or its Japanese. */
#define _(msgid) i18n_text(msgid)
/* Marks msgid for the catalogue where it cannot be translated yet (a table); use _() on it later. */
#define N_(msgid) (msgid)

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format_arg(1)))
#endif
const char *i18n_text(const char *msgid);

/*
 * The text for msgid in the language the caller names, whatever the
 * locale says: msgid itself (japanese 0), or its Japanese when the
 * catalogue has it. For text that follows someone else's language, such as
 * a web page in its browser's (cors-lab); mark such strings with N_().
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format_arg(1)))
#endif
const char *i18n_text_for(const char *msgid, int japanese);

/* 1 if the programs speak Japanese: LC_ALL, else LC_MESSAGES, else LANG starts with "ja". */
int i18n_japanese(void);

/* One translation, as scripts/potool writes them: sorted by msgid's bytes. */
struct i18n_entry {
	const char *msgid, *msgstr;
};
extern const struct i18n_entry i18n_ja[];
extern const size_t i18n_ja_count;

#endif
