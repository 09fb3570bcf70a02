/*
 * media-sync's directory reader: one JNI call lists a directory and lstat-s every entry relative to it
 * (getdents64 + newfstatat on the open directory), and hands the results back in three arrays that Java reads with
 * plain array loads. The JDK's own calls, reached through reflection, cost a reflective call, a native-buffer copy of
 * the name and thirteen JNI field writes per entry: more CPU than the system calls themselves on an unchanged
 * 135,000-file tree, and most of it interpreted while the JIT warms up.
 *
 * System calls are made through syscall(2) so that the library needs nothing newer from glibc than syscall, close,
 * malloc and strerror (an older glibc than the build machine's can load it). Linux only.
 *
 * Entry i (in listing order; entries that vanish between the listing and their lstat, ENOENT, are left out):
 *   names            the names one after another (not NUL-terminated); entry i's name ends at ints[5i]
 *   ints[5i + 1]     status: 0 read, 1 unreadable, 2 name only (not stat-ed)
 *   ints[5i + 2..4]  read: st_mode, uid, gid; unreadable: errno, end of strerror's text (after the name in names)
 *   longs[2i], [2i+1] read: size, mtime in nanoseconds
 *
 * Returns the number of entries; -1 when they do not fit in the arrays, with the entries and name bytes needed in
 * ints[0] and ints[1] (call again with larger ones); -2 when the directory cannot be read, with its errno in ints[0]
 * and strerror's text at the start of names, ending at ints[1].
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

#define READ 0
#define UNREADABLE 1
#define NAME_ONLY 2

/* What one call gathers before copying it into the Java arrays. */
struct gathered {
    char *names;
    jint *ints;
    jlong *longs;
    size_t namesUsed, namesCapacity, count, capacity;
};

static int reserve(struct gathered *out, size_t nameBytes) {
    if (out->namesUsed + nameBytes > out->namesCapacity) {
        size_t capacity = out->namesCapacity * 2 > out->namesUsed + nameBytes ? out->namesCapacity * 2
                : out->namesUsed + nameBytes;
        char *names = realloc(out->names, capacity);
        if (names == NULL) {
            return -1;
        }
        out->names = names;
        out->namesCapacity = capacity;
    }
    if (out->count == out->capacity) {
        size_t capacity = out->capacity * 2;
        jint *ints = realloc(out->ints, capacity * 5 * sizeof(jint));
        if (ints == NULL) {
            return -1;
        }
        out->ints = ints;
        jlong *longs = realloc(out->longs, capacity * 2 * sizeof(jlong));
        if (longs == NULL) {
            return -1;
        }
        out->longs = longs;
        out->capacity = capacity;
    }
    return 0;
}

static void append(struct gathered *out, const char *bytes, size_t length) {
    memcpy(out->names + out->namesUsed, bytes, length);
    out->namesUsed += length;
}

/* Puts errno and its text into the Java arrays (when they have room) and returns -2. */
static jint failure(JNIEnv *env, jbyteArray names, jintArray ints, int error) {
    const char *text = strerror(error);
    jsize length = (jsize) strlen(text);
    if (length > (*env)->GetArrayLength(env, names)) {
        length = (*env)->GetArrayLength(env, names);
    }
    jint head[2] = {error, length};
    if ((*env)->GetArrayLength(env, ints) >= 2) {
        (*env)->SetIntArrayRegion(env, ints, 0, 2, head);
        (*env)->SetByteArrayRegion(env, names, 0, length, (const jbyte *) text);
    }
    return -2;
}

static jint gather(int directory, jboolean stat, struct gathered *out) {
    char entries[32 * 1024] __attribute__((aligned(8)));
    for (;;) {
        long read = syscall(SYS_getdents64, directory, entries, sizeof entries);
        if (read < 0) {
            return errno;
        }
        if (read == 0) {
            return 0;
        }
        for (long position = 0; position < read;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *) (entries + position);
            position += entry->d_reclen;
            const char *name = entry->d_name;
            if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) {
                continue;
            }
            size_t nameLength = strlen(name);
            struct stat attributes;
            jint status = NAME_ONLY;
            int error = 0;
            if (stat) {
                if (syscall(SYS_newfstatat, directory, name, &attributes, AT_SYMLINK_NOFOLLOW) == 0) {
                    status = READ;
                } else if (errno == ENOENT) {
                    continue; /* vanished since the listing */
                } else {
                    status = UNREADABLE;
                    error = errno;
                }
            }
            const char *text = status == UNREADABLE ? strerror(error) : "";
            size_t textLength = strlen(text);
            if (reserve(out, nameLength + textLength) != 0) {
                return ENOMEM;
            }
            jint *ints = out->ints + 5 * out->count;
            jlong *longs = out->longs + 2 * out->count;
            append(out, name, nameLength);
            ints[0] = (jint) out->namesUsed;
            ints[1] = status;
            if (status == READ) {
                ints[2] = (jint) attributes.st_mode;
                ints[3] = (jint) attributes.st_uid;
                ints[4] = (jint) attributes.st_gid;
                longs[0] = (jlong) attributes.st_size;
                longs[1] = (jlong) attributes.st_mtim.tv_sec * 1000000000LL + (jlong) attributes.st_mtim.tv_nsec;
            } else {
                append(out, text, textLength);
                ints[2] = error;
                ints[3] = (jint) out->namesUsed;
                ints[4] = 0;
                longs[0] = 0;
                longs[1] = 0;
            }
            out->count++;
        }
    }
}

JNIEXPORT jint JNICALL Java_io_github_stackreplica_mediasync_NativeDirectories_read(JNIEnv *env, jclass type,
        jbyteArray path, jbyteArray names, jintArray ints, jlongArray longs, jboolean stat) {
    (void) type;
    char name[PATH_MAX + 1];
    jsize length = (*env)->GetArrayLength(env, path);
    if (length > PATH_MAX) {
        return failure(env, names, ints, ENAMETOOLONG);
    }
    (*env)->GetByteArrayRegion(env, path, 0, length, (jbyte *) name);
    name[length] = '\0';
    int directory = (int) syscall(SYS_openat, AT_FDCWD, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        return failure(env, names, ints, errno);
    }
    struct gathered out = {malloc(4096), malloc(64 * 5 * sizeof(jint)), malloc(64 * 2 * sizeof(jlong)), 0, 4096, 0, 64};
    int error = out.names == NULL || out.ints == NULL || out.longs == NULL ? ENOMEM : gather(directory, stat, &out);
    close(directory);
    jint result;
    if (error != 0) {
        result = failure(env, names, ints, error);
    } else if (out.namesUsed > (size_t) (*env)->GetArrayLength(env, names)
            || out.count * 5 > (size_t) (*env)->GetArrayLength(env, ints)
            || out.count * 2 > (size_t) (*env)->GetArrayLength(env, longs)) {
        jint needed[2] = {(jint) out.count, (jint) out.namesUsed};
        if ((*env)->GetArrayLength(env, ints) >= 2) {
            (*env)->SetIntArrayRegion(env, ints, 0, 2, needed);
        }
        result = -1;
    } else {
        (*env)->SetByteArrayRegion(env, names, 0, (jsize) out.namesUsed, (const jbyte *) out.names);
        (*env)->SetIntArrayRegion(env, ints, 0, (jsize) (out.count * 5), out.ints);
        (*env)->SetLongArrayRegion(env, longs, 0, (jsize) (out.count * 2), out.longs);
        result = (jint) out.count;
    }
    free(out.names);
    free(out.ints);
    free(out.longs);
    return result;
}
