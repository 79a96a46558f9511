/* For Apple's <sys/proc_info.h> on Linux: the types it takes from macOS's <mach/machine.h>. */
typedef int cpu_type_t;
typedef int cpu_subtype_t;
