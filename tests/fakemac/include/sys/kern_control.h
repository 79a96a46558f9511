/* For Apple's <sys/proc_info.h> on Linux: the one name it takes from macOS's <sys/kern_control.h>. */
#define MAX_KCTL_NAME 96
