/*
 * udev's properties of each disk ("E:KEY=VALUE" lines of its database
 * file) as node_exporter 1.5 labels them. Each disk's file is read once
 * per collection into its own copy; the families are then written one
 * after another, each in one piece as the format wants.
 */
#include "src/collect/node_udev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/base/xalloc.h"
#include "src/collect/collect.h"

/* ORDER udev_keys: the properties read, by index. */
enum {
    U_PATH, U_WWN, U_MODEL, U_SERIAL, U_REVISION,
    U_FS_TYPE, U_FS_USAGE, U_FS_UUID, U_FS_VERSION,
    U_DM_NAME, U_DM_UUID, U_DM_VG, U_DM_LV, U_DM_LAYER,
    U_ATA, U_ATA_WCACHE, U_ATA_WCACHE_ON, U_ATA_RPM,
    U_COUNT
};
static const char *const udev_keys[] = {
    "ID_PATH", "ID_WWN", "ID_MODEL", "ID_SERIAL_SHORT", "ID_REVISION",
    "ID_FS_TYPE", "ID_FS_USAGE", "ID_FS_UUID", "ID_FS_VERSION",
    "DM_NAME", "DM_UUID", "DM_VG_NAME", "DM_LV_NAME", "DM_LV_LAYER",
    "ID_ATA", "ID_ATA_WRITE_CACHE", "ID_ATA_WRITE_CACHE_ENABLED",
    "ID_ATA_ROTATION_RATE_RPM",
};
_Static_assert(sizeof(udev_keys) / sizeof(udev_keys[0]) == U_COUNT,
               "udev_keys and its enum differ");

/* One disk's properties: pointers into text (its file's copy), "" when
 * absent; has[] says which were there. */
struct udev_props {
    char *text;
    const char *v[U_COUNT];
    bool has[U_COUNT];
};

static void
props_read(struct node_state *s, const struct node_disk_id *id,
           struct udev_props *p)
{
    char path[64], note[128], *line, *next, *eq;

    for (int k = 0; k < U_COUNT; k++)
        p->v[k] = "";
    p->text = NULL;
    snprintf(path, sizeof(path), "/run/udev/data/b%u:%u", id->major,
             id->minor);
    if (collect_read(s->root, path, &s->file, note, sizeof(note)) < 0
        || s->file.data == NULL)
        return;
    p->text = xstrdup(s->file.data);
    for (line = p->text; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (strncmp(line, "E:", 2) != 0 || (eq = strchr(line, '=')) == NULL)
            continue;
        *eq = '\0';
        for (int k = 0; k < U_COUNT; k++)
            if (strcmp(line + 2, udev_keys[k]) == 0) {
                p->v[k] = eq + 1;
                p->has[k] = true;
            }
    }
}

static void
write_info(const struct node_disk_id *ids, const struct udev_props *p,
           size_t n, struct buf *out)
{
    char maj[16], min[16];

    collect_family(out, "node_disk_info",
                   "Info of /sys/block/<block_device>.", "gauge");
    for (size_t i = 0; i < n; i++) {
        const char *const *v = p[i].v;
        const char *lv[] = { "device", ids[i].name, "major", maj, "minor",
                             min, "model", v[U_MODEL], "path", v[U_PATH],
                             "revision", v[U_REVISION], "serial",
                             v[U_SERIAL], "wwn", v[U_WWN], NULL };

        snprintf(maj, sizeof(maj), "%u", ids[i].major);
        snprintf(min, sizeof(min), "%u", ids[i].minor);
        collect_sample(out, "node_disk_info", lv, 1);
    }
}

/* node_disk_filesystem_info and node_disk_device_mapper_info, for the
 * disks whose type or mapper name udev knows. */
static void
write_fs_dm(const struct node_disk_id *ids, const struct udev_props *p,
            size_t n, struct buf *out)
{
    bool head = false;

    for (size_t i = 0; i < n; i++) {
        const char *const *v = p[i].v;
        const char *lv[] = { "device", ids[i].name, "type", v[U_FS_TYPE],
                             "usage", v[U_FS_USAGE], "uuid", v[U_FS_UUID],
                             "version", v[U_FS_VERSION], NULL };

        if (v[U_FS_TYPE][0] == '\0')
            continue;
        if (!head)
            collect_family(out, "node_disk_filesystem_info",
                           "Info about disk filesystem.", "gauge");
        head = true;
        collect_sample(out, "node_disk_filesystem_info", lv, 1);
    }
    head = false;
    for (size_t i = 0; i < n; i++) {
        const char *const *v = p[i].v;
        const char *lv[] = { "device", ids[i].name, "lv_layer",
                             v[U_DM_LAYER], "lv_name", v[U_DM_LV], "name",
                             v[U_DM_NAME], "uuid", v[U_DM_UUID], "vg_name",
                             v[U_DM_VG], NULL };

        if (v[U_DM_NAME][0] == '\0')
            continue;
        if (!head)
            collect_family(out, "node_disk_device_mapper_info",
                           "Info about disk device mapper.", "gauge");
        head = true;
        collect_sample(out, "node_disk_device_mapper_info", lv, 1);
    }
}

/* The ATA gauges of disks udev calls ATA, each value a number. */
static void
write_ata(const struct node_disk_id *ids, const struct udev_props *p,
          size_t n, struct buf *out)
{
    static const struct {
        int key;
        const char *name, *help;
    } ata[] = {
        { U_ATA_WCACHE, "node_disk_ata_write_cache",
          "ATA disk has a write cache." },
        { U_ATA_WCACHE_ON, "node_disk_ata_write_cache_enabled",
          "ATA disk has its write cache enabled." },
        { U_ATA_RPM, "node_disk_ata_rotation_rate_rpm",
          "ATA disk rotation rate in RPMs (0 for SSDs)." },
    };

    for (size_t a = 0; a < sizeof(ata) / sizeof(ata[0]); a++) {
        bool head = false;

        for (size_t i = 0; i < n; i++) {
            const char *lv[] = { "device", ids[i].name, NULL };
            double v;

            if (p[i].v[U_ATA][0] == '\0' || !p[i].has[ata[a].key]
                || collect_number(p[i].v[ata[a].key], &v) < 0)
                continue;
            if (!head)
                collect_family(out, ata[a].name, ata[a].help, "gauge");
            head = true;
            collect_sample(out, ata[a].name, lv, v);
        }
    }
}

void
node_udev_disks(struct node_state *s, const struct node_disk_id *ids,
                size_t n, struct buf *out)
{
    struct udev_props *p;

    if (n == 0)
        return;
    p = xcalloc(n, sizeof(*p));
    for (size_t i = 0; i < n; i++)
        props_read(s, &ids[i], &p[i]);
    write_info(ids, p, n, out);
    write_fs_dm(ids, p, n, out);
    write_ata(ids, p, n, out);
    for (size_t i = 0; i < n; i++)
        free(p[i].text);
    free(p);
}
