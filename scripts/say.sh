# say.sh - the student's language for portlab's shell scripts (sourced).
#
# JA is 1 when the first of LC_ALL, LC_MESSAGES and LANG that is set and not
# empty starts with "ja", as common/i18n.c decides for the C programs.
# say ENGLISH JAPANESE [ARGS...] prints one of the two printf formats with
# ARGS: say 'port %s\n' 'ポート %s\n' 8080. Commands, lsof's notation and
# usage lines stay as they are in both.
portlab_lang=${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}
[[ "$portlab_lang" == ja* ]] && JA=1 || JA=0

say() {
	local en=$1 ja=$2
	shift 2
	if [ "$JA" = 1 ]; then
		# shellcheck disable=SC2059
		printf "$ja" "$@"
	else
		# shellcheck disable=SC2059
		printf "$en" "$@"
	fi
}
