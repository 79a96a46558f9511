/*
 * fuzz.h - what every harness in tests/fuzz shares.
 *
 * libFuzzer calls LLVMFuzzerTestOneInput with bytes it makes up. A harness
 * feeds them to one parser in common/ and then checks a property that must
 * hold for every input, not only "it did not crash": CHECK aborts with the
 * broken property, and libFuzzer saves the input that broke it.
 */
#ifndef PORTLAB_FUZZ_H
#define PORTLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* 1 if s[0..len) holds a byte a header value or a terminal must never get. */
static inline int
has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return 1;
	return 0;
}

#endif
