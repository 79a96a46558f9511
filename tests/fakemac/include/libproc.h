/*
 * libproc.h for the fake-libproc test: the libproc calls fdtab_macos.c
 * makes, with the prototypes macOS's <libproc.h> gives them.
 * tests/fakemac/fakeproc.c answers them.
 */
#ifndef PORTLAB_FAKE_LIBPROC_H
#define PORTLAB_FAKE_LIBPROC_H

#include <stdint.h>
#include <sys/proc_info.h>

int proc_listallpids(void *buffer, int buffersize);
int proc_pidinfo(int pid, int flavor, uint64_t arg, void *buffer, int buffersize);
int proc_pidfdinfo(int pid, int fd, int flavor, void *buffer, int buffersize);

#endif
