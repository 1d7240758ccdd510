// An LD_PRELOAD stand-in for a v4l2loopback output device, for end-to-end tests on machines
// without the kernel module. Compiled by the tests: cc -shared -fPIC -o fake.so this.c -ldl
//
// When the program opens BACKDROP_FAKE_V4L2_DEVICE, it gets BACKDROP_FAKE_V4L2_FIFO (opened for
// writing) instead, and this library answers the format ioctls on that descriptor like the
// driver would; write() goes to the FIFO untouched, so a reader there sees the frames.
//   BACKDROP_FAKE_V4L2_CAPS  "output" (default): a loopback ready for a writer;
//                            "busy": a loopback another program writes to (capture only);
//                            "camera": a uvcvideo webcam.
//   BACKDROP_FAKE_V4L2_MAX   "WxH": the largest size S_FMT grants (default 1920x1080).
//   BACKDROP_FAKE_V4L2_LOG   a file that gets one line per S_FMT: "S_FMT WxH FOURCC".
// Any other ioctl on the device answers ENOTTY.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int fake_fd = -1;
static struct v4l2_pix_format current;

static int is_fake(const char *path) {
    const char *device = getenv("BACKDROP_FAKE_V4L2_DEVICE");
    return device != NULL && path != NULL && strcmp(device, path) == 0;
}

static void *next(const char *name) { return dlsym(RTLD_NEXT, name); }

static void set_format(struct v4l2_pix_format *pix) {
    unsigned max_w = 1920, max_h = 1080;
    const char *max = getenv("BACKDROP_FAKE_V4L2_MAX");
    if (max != NULL) sscanf(max, "%ux%u", &max_w, &max_h);
    if (pix->pixelformat != V4L2_PIX_FMT_YUYV && pix->pixelformat != V4L2_PIX_FMT_YUV420) {
        pix->pixelformat = V4L2_PIX_FMT_YUYV;
    }
    if (pix->width > max_w) pix->width = max_w;
    if (pix->height > max_h) pix->height = max_h;
    pix->width &= ~1u;
    pix->height &= ~1u;
    if (pix->width < 2) pix->width = 2;
    if (pix->height < 2) pix->height = 2;
    pix->field = V4L2_FIELD_NONE;
    if (pix->pixelformat == V4L2_PIX_FMT_YUYV) {
        pix->bytesperline = pix->width * 2;
        pix->sizeimage = pix->bytesperline * pix->height;
    } else {
        pix->bytesperline = pix->width;
        pix->sizeimage = pix->width * pix->height * 3 / 2;
    }
    current = *pix;
}

static int open_fake(int flags) {
    const char *fifo = getenv("BACKDROP_FAKE_V4L2_FIFO");
    if (fifo == NULL) {
        errno = ENOENT;
        return -1;
    }
    int (*real_open)(const char *, int, ...) = next("open");
    int fd = real_open(fifo, O_WRONLY | (flags & O_CLOEXEC));
    if (fd >= 0) {
        fake_fd = fd;
        struct v4l2_pix_format initial = {.width = 640, .height = 480, .pixelformat = V4L2_PIX_FMT_YUYV};
        set_format(&initial);
    }
    return fd;
}

static mode_t mode_argument(int flags, va_list args) {
    return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(args, mode_t) : 0;
}

int open(const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_argument(flags, args);
    va_end(args);
    if (is_fake(path)) return open_fake(flags);
    int (*real)(const char *, int, ...) = next("open");
    return real(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_argument(flags, args);
    va_end(args);
    if (is_fake(path)) return open_fake(flags);
    int (*real)(const char *, int, ...) = next("open64");
    return real(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_argument(flags, args);
    va_end(args);
    if (is_fake(path)) return open_fake(flags);
    int (*real)(int, const char *, int, ...) = next("openat");
    return real(dir, path, flags, mode);
}

int close(int fd) {
    if (fd >= 0 && fd == fake_fd) fake_fd = -1;
    int (*real)(int) = next("close");
    return real(fd);
}

static int query_capability(struct v4l2_capability *cap) {
    const char *kind = getenv("BACKDROP_FAKE_V4L2_CAPS");
    memset(cap, 0, sizeof *cap);
    __u32 caps = V4L2_CAP_STREAMING | V4L2_CAP_READWRITE;
    if (kind != NULL && strcmp(kind, "camera") == 0) {
        strcpy((char *)cap->driver, "uvcvideo");
        strcpy((char *)cap->card, "Fake Webcam");
        strcpy((char *)cap->bus_info, "usb-0000:00:14.0-1");
        caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
    } else {
        strcpy((char *)cap->driver, "v4l2 loopback");
        strcpy((char *)cap->card, "Backdrop camera");
        strcpy((char *)cap->bus_info, "platform:v4l2loopback-000");
        caps |= (kind != NULL && strcmp(kind, "busy") == 0) ? V4L2_CAP_VIDEO_CAPTURE : V4L2_CAP_VIDEO_OUTPUT;
    }
    cap->version = 0x000c07;
    cap->device_caps = caps;
    cap->capabilities = caps | V4L2_CAP_DEVICE_CAPS;
    return 0;
}

static void log_format(void) {
    const char *path = getenv("BACKDROP_FAKE_V4L2_LOG");
    if (path == NULL) return;
    FILE *file = fopen(path, "a");
    if (file == NULL) return;
    __u32 f = current.pixelformat;
    fprintf(file, "S_FMT %ux%u %c%c%c%c\n", current.width, current.height, f & 0xff, (f >> 8) & 0xff,
            (f >> 16) & 0xff, (f >> 24) & 0xff);
    fclose(file);
}

int ioctl(int fd, unsigned long request, ...) {
    va_list args;
    va_start(args, request);
    void *argument = va_arg(args, void *);
    va_end(args);
    if (fd < 0 || fd != fake_fd) {
        int (*real)(int, unsigned long, ...) = next("ioctl");
        return real(fd, request, argument);
    }
    struct v4l2_format *format = argument;
    switch (request) {
    case VIDIOC_QUERYCAP:
        return query_capability(argument);
    case VIDIOC_G_FMT:
        if (format->type != V4L2_BUF_TYPE_VIDEO_OUTPUT) break;
        format->fmt.pix = current;
        return 0;
    case VIDIOC_S_FMT:
        if (format->type != V4L2_BUF_TYPE_VIDEO_OUTPUT) break;
        set_format(&format->fmt.pix);
        log_format();
        return 0;
    default:
        errno = ENOTTY;
        return -1;
    }
    errno = EINVAL;
    return -1;
}
