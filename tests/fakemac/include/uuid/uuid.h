/* For Apple's <sys/proc_info.h> on Linux: the type it takes from macOS's <uuid/uuid.h>. */
typedef unsigned char uuid_t[16];
