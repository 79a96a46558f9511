/*
 * darwin.h - the few macOS constants that Apple's <sys/proc_info.h> and
 * common/fdtab_macos.c use and Linux's headers lack, with macOS's values.
 * The build of the fake-libproc test (make fakemac) includes this first.
 */
#define MAXCOMLEN 16		/* <sys/param.h>: pbi_comm holds MAXCOMLEN, pbi_name twice that */
#define SOCK_MAXADDRLEN 255	/* <sys/socket.h> */
#define FREAD 0x0001		/* <sys/fcntl.h>: how fi_openflags says "open for reading" */
#define FWRITE 0x0002
#define AF_NDRV 27		/* <sys/socket.h>: the families only Darwin has */
#define pseudo_AF_KEY 29
#define AF_SYSTEM 32
#define AF_PPP 34
