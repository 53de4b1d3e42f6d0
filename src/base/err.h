/* Error codes shared by every layer: 0 is success, negatives are failures.
 * Functions return one of these and hand results out through OUT: pointers. */
#ifndef LINLI_BASE_ERR_H
#define LINLI_BASE_ERR_H

enum lin_err {
	LIN_OK = 0,
	LIN_ENOMEM = -1,    /* allocation failed or a buffer cap was reached */
	LIN_EINVAL = -2,    /* input failed validation */
	LIN_ENOTFOUND = -3, /* no such row, file or route */
	LIN_EDB = -4,	    /* the storage engine reported an error */
	LIN_EIO = -5,	    /* a read or write on a file or socket failed */
	LIN_ETOOBIG = -6,   /* input larger than its cap */
	LIN_EPERM = -7,	    /* the caller may not do this */
	LIN_ECONFLICT = -8, /* the change clashes with existing data */
	LIN_EAUTH = -9,	    /* bad credentials */
	LIN_ELIMIT = -10,   /* throttled: too many attempts */
	LIN_ERANGE = -11,   /* a measure past its cap (a photo's pixels) */
	LIN_ENOSPC = -12,   /* the disk is too full to take it */
};

/* The exit status of a command used wrongly (a missing argument, an
 * unknown option); 1 is any other failure, 0 success. */
#define LIN_EXIT_USAGE 2

/* lin_strerror returns a static English description of an error code. */
const char *lin_strerror(int err);

#endif
