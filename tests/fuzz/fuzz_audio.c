/* Fuzz target for audio import (src/noise/audio.c through libsndfile, and
 * the analyzer of src/noise/dsp.c). The input is a file's bytes, read from
 * an in-memory file. Whatever is accepted gives finite, ordered levels
 * (Lmax >= Lmin, L5 >= L10 >= ... >= L95, each second's maximum at or
 * above the floor, one per-second entry per started second); whatever is
 * refused is refused with a reason. Z weighting keeps each run fast: the
 * A and C filter designs depend only on the sample rate (test_noise_dsp checks
 * them); the file reading, mixing and detector are the same. */
#include "fuzz.h"
#include "base/err.h"
#include "noise/audio.h"
#include "noise/dsp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int finite_level(double l)
{
	return isfinite(l) && l >= NOISE_FLOOR_DB - 1e-9 && l < 400.0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256] = "";
	struct noise_result r;
	int fd = memfd_create("audio", MFD_CLOEXEC), rc;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = noise_analyze_file(path, 94.0, 'Z', 'F', &r, err, sizeof(err));
	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_EIO || rc == LIN_ENOMEM);
		FUZZ_CHECK(err[0]);
	} else {
		FUZZ_CHECK(r.duration_s > 0 && r.sample_rate > 0);
		FUZZ_CHECK(finite_level(r.laeq) && finite_level(r.lmax) && finite_level(r.lmin));
		FUZZ_CHECK(r.lmax >= r.lmin);
		FUZZ_CHECK(r.l5 >= r.l10 && r.l10 >= r.l50 && r.l50 >= r.l90 && r.l90 >= r.l95);
		FUZZ_CHECK(r.per_second_count == (size_t)ceil(r.duration_s - 1e-9));
		for (size_t i = 0; i < r.per_second_count; i++)
			FUZZ_CHECK(finite_level(r.per_second[i]) &&
				   finite_level(r.per_second_max[i]));
	}
	noise_result_release(&r);
	close(fd);
	return 0;
}
