/*
 * potool - the message catalogue, without libintl: make runs it on the
 * build machine.
 *
 *   potool extract FILE...   every string marked _("…") or N_("…") in the C
 *                            sources, as a gettext template (po/portlab.pot)
 *   potool compile PO POT    the translations of PO as C source for
 *                            common/i18n.c, sorted for a binary search
 *
 * compile fails, naming each message, when a message of POT has no
 * translation in PO, when one is marked fuzzy or is empty, when PO has one
 * POT no longer has, or when a translation's printf conversions do not take
 * the same arguments as the English (a translation may reorder them with
 * %1$s, %2$d ...). So a marked string without its Japanese stops the build.
 *
 * Strings are kept as C writes them (escapes and all) from source to PO to
 * the generated C; only sorting and the printf check look at the bytes
 * they stand for.
 */
#define _POSIX_C_SOURCE 200809L	/* strdup */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 4096
#define MAX_REFS 2048		/* room for "file:line" references of one message */
#define MAX_ARGS 32		/* printf arguments one message may take */

struct entry {
	char *msgid, *msgstr;	/* as written between the quotes, escapes kept */
	char *plain;		/* msgid's bytes, for sorting */
	char refs[MAX_REFS];
	int fuzzy, line;
};

static struct entry *entries[MAX_ENTRIES];
static size_t nentries;

static void usage(void);
static int extract(int argc, char **argv);
static int compile(const char *po, const char *pot);
static void *xmalloc(size_t n);
static char *unescape(const char *s);

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "extract") == 0)
		return extract(argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "compile") == 0)
		return compile(argv[2], argv[3]);
	usage();
	return 2;
}

static void
usage(void)
{
	fprintf(stderr, "usage: potool extract FILE...\n"
	    "       potool compile PO POT\n");
}

/* ---- extract: _("…") and N_("…") in C sources ---- */

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (b->s == NULL) {
			perror("potool");
			exit(1);
		}
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static struct entry *
find(const char *msgid)
{
	size_t i;

	for (i = 0; i < nentries; i++)
		if (strcmp(entries[i]->msgid, msgid) == 0)
			return entries[i];
	return NULL;
}

static struct entry *
add(const char *msgid)
{
	struct entry *e = find(msgid);

	if (e != NULL)
		return e;
	if (nentries == MAX_ENTRIES) {
		fprintf(stderr, "potool: more than %d messages\n", MAX_ENTRIES);
		exit(1);
	}
	e = xmalloc(sizeof *e);
	memset(e, 0, sizeof *e);
	e->msgid = strdup(msgid);
	if (e->msgid == NULL) {
		perror("potool");
		exit(1);
	}
	entries[nentries++] = e;
	return e;
}

/* Skip blanks, newlines and comments from *p; counts lines. */
static const char *
skip_space(const char *p, int *line)
{
	for (;;) {
		if (*p == '\n')
			(*line)++;
		if (isspace((unsigned char)*p))
			p++;
		else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				if (*p == '\n')
					(*line)++;
			p += *p ? 2 : 0;
		} else if (p[0] == '/' && p[1] == '/')
			while (*p && *p != '\n')
				p++;
		else
			return p;
	}
}

/* The string literal at p (p at its quote) into b; returns what follows it. */
static const char *
literal(const char *p, struct buf *b)
{
	const char *start = ++p;

	while (*p && *p != '"' && *p != '\n')
		p += p[0] == '\\' && p[1] ? 2 : 1;
	buf_add(b, start, (size_t)(p - start));
	return *p == '"' ? p + 1 : p;
}

/* 1 if the list " a.c b.c" already has ref (" a.c"). */
static int
has_ref(const char *refs, const char *ref)
{
	size_t n = strlen(ref);
	const char *p;

	for (p = strstr(refs, ref); p != NULL; p = strstr(p + 1, ref))
		if (p[n] == ' ' || p[n] == '\0')
			return 1;
	return 0;
}

/* The marked literals after "_(" at p: adjacent literals are one string. */
static const char *
marked(const char *file, const char *p, int *line)
{
	struct buf b = { NULL, 0, 0 };
	char ref[256];
	struct entry *e;
	int at = *line;

	p = skip_space(p, line);
	if (*p != '"')
		return p;	/* _(variable): nothing to extract */
	while (*p == '"') {
		p = literal(p, &b);
		p = skip_space(p, line);
	}
	if (*p != ')') {
		fprintf(stderr, "%s:%d: a marked string must be string literals only\n", file, at);
		exit(1);
	}
	e = add(b.s);
	/*
	 * File names only, so the template changes when messages do, not when
	 * lines move. refs keeps " a.c b.c", each name once.
	 */
	snprintf(ref, sizeof ref, " %s", file);
	if (!has_ref(e->refs, ref) && strlen(e->refs) + strlen(ref) < sizeof e->refs)
		strcat(e->refs, ref);
	free(b.s);
	return p;
}

static char *
slurp(const char *path)
{
	struct buf b = { NULL, 0, 0 };
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		fprintf(stderr, "potool: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return b.s;
}

/* Scan one C file: comments, strings and character constants are skipped, marks read. */
static void
extract_file(const char *file)
{
	char *text = slurp(file);
	const char *p = text;
	int line = 1;
	struct buf skip = { NULL, 0, 0 };

	while (*p) {
		if (*p == '\n' || (p[0] == '/' && (p[1] == '*' || p[1] == '/'))) {
			p = skip_space(p, &line);
			continue;
		}
		if (*p == '"') {
			skip.len = 0;
			p = literal(p, &skip);
			continue;
		}
		if (*p == '\'') {
			for (p++; *p && *p != '\'' && *p != '\n'; p += p[0] == '\\' && p[1] ? 2 : 1)
				;
			p += *p == '\'';
			continue;
		}
		if ((p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
		    (strncmp(p, "_(", 2) == 0 || strncmp(p, "N_(", 3) == 0)) {
			p = marked(file, p + (p[0] == 'N' ? 3 : 2), &line);
			continue;
		}
		p++;
	}
	free(skip.s);
	free(text);
}

static int
extract(int argc, char **argv)
{
	size_t i;
	int f;

	for (f = 0; f < argc; f++)
		extract_file(argv[f]);
	printf("# The messages of portlab's programs, from the C sources (make pot).\n"
	    "# Translations: po/ja.po. Do not edit this file by hand.\n"
	    "msgid \"\"\nmsgstr \"\"\n"
	    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	    "\"Content-Transfer-Encoding: 8bit\\n\"\n");
	for (i = 0; i < nentries; i++)
		printf("\n#:%s\n%smsgid \"%s\"\nmsgstr \"\"\n", entries[i]->refs,
		    strchr(entries[i]->msgid, '%') != NULL ? "#, c-format\n" : "",
		    entries[i]->msgid);
	return 0;
}

/* ---- compile: PO to C ---- */

/* The text between the quotes of a PO string line ("…"), appended to b. */
static int
po_string(const char *p, struct buf *b)
{
	const char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		return -1;
	end = p + strlen(p);
	while (end > p + 1 && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	if (end <= p + 1 || end[-1] != '"')
		return -1;
	buf_add(b, p + 1, (size_t)(end - 1 - (p + 1)));
	return 0;
}

/* The entry just read: added, or its translation set. Returns 1 for a problem. */
static int
finish_entry(const char *path, const struct buf *id, const struct buf *str, int fuzzy, int at)
{
	struct entry *e;

	if (id->len == 0)
		return 0;	/* the header */
	e = add(id->s);
	if (e->line != 0) {
		fprintf(stderr, "%s:%d: msgid given twice (first at line %d): \"%s\"\n", path, at,
		    e->line, id->s);
		return 1;
	}
	free(e->msgstr);
	e->msgstr = strdup(str->s);
	e->fuzzy = fuzzy;
	e->line = at;
	return 0;
}

/*
 * Read a PO file's entries: comments (#, fuzzy marks one), msgid, msgstr,
 * and "…" lines that continue either. Returns the number of problems.
 */
static int
read_po(const char *path)
{
	enum { BETWEEN, IN_ID, IN_STR } state = BETWEEN;
	struct buf id = { NULL, 0, 0 }, str = { NULL, 0, 0 };
	char line[8192];
	int fuzzy = 0, lineno = 0, at = 0, bad = 0, blank;
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		fprintf(stderr, "potool: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	buf_add(&id, "", 0);
	buf_add(&str, "", 0);
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		blank = strspn(line, " \t\r\n") == strlen(line);
		if (state == IN_STR && (blank || line[0] == '#' || strncmp(line, "msgid ", 6) == 0)) {
			bad += finish_entry(path, &id, &str, fuzzy, at);
			state = BETWEEN;
			fuzzy = 0;
		}
		if (blank)
			continue;
		if (line[0] == '#') {
			fuzzy |= line[1] == ',' && strstr(line, "fuzzy") != NULL;
			continue;
		}
		if (strncmp(line, "msgid ", 6) == 0 && state == BETWEEN) {
			id.len = str.len = 0;
			id.s[0] = str.s[0] = '\0';
			state = IN_ID;
			at = lineno;
			if (po_string(line + 6, &id) == 0)
				continue;
		} else if (strncmp(line, "msgstr ", 7) == 0 && state == IN_ID) {
			state = IN_STR;
			if (po_string(line + 7, &str) == 0)
				continue;
		} else if (line[0] == '"' && state != BETWEEN &&
		    po_string(line, state == IN_ID ? &id : &str) == 0)
			continue;
		fprintf(stderr, "%s:%d: not PO as potool reads it (#, msgid, msgstr, \"…\"): %s",
		    path, lineno, line);
		bad++;
	}
	if (state == IN_STR)
		bad += finish_entry(path, &id, &str, fuzzy, at);
	fclose(fp);
	free(id.s);
	free(str.s);
	return bad;
}

/* One printf argument a format takes: its conversion, with the length modifier. */
struct conv {
	char type[4];	/* "d", "ld", "zu", "s", "c", "p", "f", ... ; "*" for a width */
};

/* The arguments format f takes, in order (positional %n$ put in place). Returns the count, or -1. */
static int
format_args(const char *f, struct conv *args)
{
	int n = 0, next = 0, pos, k;
	const char *p;

	memset(args, 0, sizeof(struct conv) * MAX_ARGS);
	for (p = f; *p; p++) {
		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		pos = -1;
		if (isdigit((unsigned char)*p)) {
			const char *q = p;
			int v = 0;

			while (isdigit((unsigned char)*q))
				v = v * 10 + (*q++ - '0');
			if (*q == '$') {
				pos = v - 1;
				p = q + 1;
			}
		}
		while (*p && strchr("-+ #0'", *p))
			p++;
		if (*p == '*') {	/* a width taken from an int argument */
			if (next >= MAX_ARGS)
				return -1;
			strcpy(args[next++].type, "*");
			p++;
		}
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				if (next >= MAX_ARGS)
					return -1;
				strcpy(args[next++].type, "*");
				p++;
			}
			while (isdigit((unsigned char)*p))
				p++;
		}
		for (k = 0; *p && strchr("hljztL", *p) && k < 2; k++)
			p++;
		if (*p == '\0' || !strchr("diouxXeEfFgGaAcsp", *p))
			return -1;
		if (pos < 0)
			pos = next++;
		if (pos >= MAX_ARGS)
			return -1;
		/* d and i take the same argument; so do o, u, x and X; and the floating ones. */
		snprintf(args[pos].type, sizeof args[pos].type, "%.*s%c", (int)k, p - k,
		    strchr("di", *p) ? 'd' : strchr("ouxX", *p) ? 'u' : strchr("eEfFgGaA", *p) ? 'f' : *p);
		if (pos + 1 > n)
			n = pos + 1;
	}
	return n > next ? n : next;
}

/* 1 if msgstr's conversions take the arguments msgid's take. */
static int
same_args(const char *msgid, const char *msgstr)
{
	struct conv a[MAX_ARGS], b[MAX_ARGS];
	char *x = unescape(msgid), *y = unescape(msgstr);
	int n = format_args(x, a), m = format_args(y, b), i, ok = n == m && n >= 0;

	for (i = 0; ok && i < n; i++)
		ok = strcmp(a[i].type, b[i].type) == 0;
	free(x);
	free(y);
	return ok;
}

static int
by_plain(const void *x, const void *y)
{
	const struct entry *a = *(const struct entry *const *)x, *b = *(const struct entry *const *)y;

	return strcmp(a->plain, b->plain);
}

static int
compile(const char *po, const char *pot)
{
	size_t i, nwanted;
	int bad = read_po(pot);	/* the template first: it decides which messages there are */

	nwanted = nentries;
	for (i = 0; i < nwanted; i++) {
		free(entries[i]->msgstr);
		entries[i]->msgstr = NULL;
		entries[i]->line = 0;
	}
	bad += read_po(po);
	for (i = 0; i < nentries; i++) {
		struct entry *e = entries[i];

		if (i >= nwanted) {
			fprintf(stderr, "%s:%d: no source marks this message any more (run make pot, "
			    "then remove it): \"%s\"\n", po, e->line, e->msgid);
			bad++;
		} else if (e->msgstr == NULL || e->msgstr[0] == '\0') {
			fprintf(stderr, "%s: no translation for \"%s\"\n", po, e->msgid);
			bad++;
		} else if (e->fuzzy) {
			fprintf(stderr, "%s:%d: fuzzy, check it and remove the flag: \"%s\"\n", po,
			    e->line, e->msgid);
			bad++;
		} else if (!same_args(e->msgid, e->msgstr)) {
			fprintf(stderr, "%s:%d: the translation's %% conversions do not take the "
			    "English's arguments: \"%s\"\n", po, e->line, e->msgid);
			bad++;
		}
		e->plain = unescape(e->msgid);
	}
	if (bad > 0) {
		fprintf(stderr, "potool: %d problem%s in %s\n", bad, bad == 1 ? "" : "s", po);
		return 1;
	}
	qsort(entries, nentries, sizeof entries[0], by_plain);
	printf("/* Generated by scripts/potool from %s: do not edit. */\n"
	    "#include \"i18n.h\"\n\nconst struct i18n_entry i18n_ja[] = {\n", po);
	for (i = 0; i < nentries; i++)
		printf("\t{ \"%s\",\n\t  \"%s\" },\n", entries[i]->msgid, entries[i]->msgstr);
	if (nentries == 0)
		printf("\t{ \"\", \"\" },\t/* C has no empty array; the count says none */\n");
	printf("};\nconst size_t i18n_ja_count = %zu;\n", nentries);
	return 0;
}

/* ---- small helpers ---- */

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("potool");
		exit(1);
	}
	return p;
}

/* The bytes a C string literal's text stands for: \n, \t, \", \\, \xHH, \ooo ... */
static char *
unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int v, k;

	while (*s) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': *o++ = '\n'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case 'a': *o++ = '\a'; s++; break;
		case 'b': *o++ = '\b'; s++; break;
		case 'f': *o++ = '\f'; s++; break;
		case 'v': *o++ = '\v'; s++; break;
		case 'x':
			for (s++, v = 0, k = 0; k < 2 && isxdigit((unsigned char)*s); k++, s++)
				v = v * 16 + (isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10));
			*o++ = (char)v;
			break;
		default:
			if (*s >= '0' && *s <= '7') {
				for (v = 0, k = 0; k < 3 && *s >= '0' && *s <= '7'; k++, s++)
					v = v * 8 + (*s - '0');
				*o++ = (char)v;
			} else
				*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}
