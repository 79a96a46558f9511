/*
 * opt - the command-line conventions every portlab program shares.
 *
 * Each program parses its own options with getopt_long, in its own file;
 * this only words the errors the same way everywhere.
 */
#include "opt.h"
#include "i18n.h"
#include "msg.h"
#include "num.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int
opt_parse_hold(const char *s, long *seconds)
{
	unsigned long value;

	if (num_parse(s, strlen(s), (unsigned long)OPT_HOLD_MAX, &value) == -1)
		return -1;
	*seconds = (long)value;
	return 0;
}

/* The argument getopt took for an option because it is '-' and a digit. */
static const char *
opt_negative_arg(int argc, char *const argv[], int digit)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] == digit)
			return argv[i];
	return "-";
}

const char *
opt_shown(const char *arg)
{
	static char shown[4][64];
	static unsigned next;
	char *buf = shown[next++ % 4];

	msg_escape(arg, strlen(arg), buf, sizeof shown[0]);
	return buf;
}

void
opt_error(int ch, int argc, char *const argv[], char *buf, size_t size)
{
	/* optind has moved past the option at fault, which is a whole word. */
	const char *word = optind > 0 && optind <= argc ? opt_shown(argv[optind - 1]) : "?";

	if (ch == ':')
		snprintf(buf, size, _("missing value for '%s': this option needs a "
		    "value after it"), word);
	else if (optopt >= '0' && optopt <= '9')
		snprintf(buf, size, _("bad port '%s': a port is never negative; "
		    "ports are 16-bit: 0-65535"), opt_shown(opt_negative_arg(argc, argv, optopt)));
	else if (optopt != 0)
		snprintf(buf, size, _("unknown option '-%c'"), optopt);
	else
		snprintf(buf, size, _("unknown option '%s'"), word);
}
