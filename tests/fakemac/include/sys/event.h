/* For Apple's <sys/proc_info.h> on Linux: it includes macOS's <sys/event.h> but uses nothing from it. */
