#ifndef ZHAOREN_SYSTEM_H
#define ZHAOREN_SYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE): afterwards `a` names
/// what `b` named and `b` what `a` named, with no moment at which either is missing.
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where the kernel or file system cannot).
int zhaoren_rename_exchange(const char *a, const char *b);

/// Flushes standard output and reports whether anything written to it failed: 0 when all
/// went out, else the errno of the failure (EPIPE for a closed pipe, ENOSPC …).
int zhaoren_stdout_error(void);

/// Starts writing bytes `offset ..< offset + length` of file `fd` to disk without waiting
/// (Linux sync_file_range with SYNC_FILE_RANGE_WRITE), so that a later fsync has less left to
/// do. Durability still comes from fsync alone. Returns 0, or -1 with errno set (ignored by
/// callers: where it is unsupported, fsync does all the work as before).
int zhaoren_start_writeback(int fd, long long offset, long long length);

/// Asks the processor to start loading the cache line holding `address` (a hint: it never
/// faults, and does nothing where unsupported). Hot loops that visit records in an order the
/// hardware cannot guess call it a few steps ahead of their reads.
static inline void zhaoren_prefetch(const void *address) { __builtin_prefetch(address, 0, 1); }

#endif
