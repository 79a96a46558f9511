/*
 * benchtime - run a command RUNS times and print the median wall-clock
 * time in milliseconds. Used by scripts/bench; not a lab program.
 *
 * Usage: benchtime RUNS COMMAND [ARGS...]   (its output goes to /dev/null)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0, i, status, null_fd;
	double *times, start;
	pid_t pid;

	if (runs < 1 || runs > 1000) {
		fprintf(stderr, "usage: benchtime RUNS COMMAND [ARGS...]\n");
		return 2;
	}
	times = calloc((size_t)runs, sizeof *times);
	null_fd = open("/dev/null", O_WRONLY);
	if (times == NULL || null_fd == -1)
		return 1;
	for (i = 0; i < runs; i++) {
		start = now_ms();
		pid = fork();
		if (pid == 0) {
			dup2(null_fd, STDOUT_FILENO);
			dup2(null_fd, STDERR_FILENO);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid == -1 || waitpid(pid, &status, 0) == -1)
			return 1;
		times[i] = now_ms() - start;
	}
	qsort(times, (size_t)runs, sizeof *times, by_value);
	printf("%.2f\n", times[runs / 2]);
	free(times);
	return 0;
}
