/*
 * The web configuration file and basic authentication. Passwords are
 * checked with crypt(3) (libxcrypt knows bcrypt), the only file that
 * includes <crypt.h>. The file is strict as exporter-toolkit's
 * UnmarshalStrict: an unknown key is an error, and so is a key promdeck
 * cannot honour (cipher_suites, http2 headers, ...), rather than a
 * setting silently not applied.
 */
#include "src/api/webconfig.h"

#include <crypt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "src/base/buf.h"
#include "src/base/md5.h"
#include "src/base/xalloc.h"
#include "src/base/yaml.h"

/* PEM files are small; a larger one is a mistake. */
#define PEM_MAX (1024 * 1024)
/* Credentials remembered after a successful bcrypt check. */
#define CACHE_SLOTS 64

struct user {
    char *name;
    char *hash;
};

struct webcfg {
    bool tls;
    char *cert, *key, *ca;
    enum webcfg_client_auth client_auth;
    const char *priorities;
    struct user *users;
    size_t nusers;
    char *dummy;            /* a hash of the same cost for unknown users */
    unsigned char salt[16];
    pthread_mutex_t mu;     /* guards the cache */
    unsigned char cache[CACHE_SLOTS][MD5_DIGEST_LEN];
    size_t ncache, next;
};

static const struct {
    const char *name;
    enum webcfg_client_auth v;
} client_auths[] = {
    { "", WEBCFG_NO_CLIENT_CERT },
    { "NoClientCert", WEBCFG_NO_CLIENT_CERT },
    { "RequestClientCert", WEBCFG_REQUEST_CLIENT_CERT },
    { "RequireAnyClientCert", WEBCFG_REQUIRE_ANY_CLIENT_CERT },
    { "RequireClientCert", WEBCFG_REQUIRE_ANY_CLIENT_CERT },
    { "VerifyClientCertIfGiven", WEBCFG_VERIFY_CLIENT_CERT_IF_GIVEN },
    { "RequireAndVerifyClientCert", WEBCFG_REQUIRE_AND_VERIFY_CLIENT_CERT },
};

/* min_version: the versions allowed, from it up. */
static const struct {
    const char *name, *priorities;
} versions[] = {
    { "TLS10", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:"
               "+VERS-TLS1.0" },
    { "TLS11", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1" },
    { "TLS12", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" },
    { "TLS13", "NORMAL:-VERS-ALL:+VERS-TLS1.3" },
};

static int
node_error(struct diag *d, const struct yaml_node *n, const char *fmt,
           const char *arg)
{
    diag_set(d, n->line, n->col, 1, fmt, arg);
    d->source = n->source;
    return -1;
}

/* A file named in the config, relative to the config's folder. */
static int
read_pem(const char *dir, const struct yaml_node *n, char **out,
         struct diag *d)
{
    const char *name = yaml_scalar(n);
    char *path;
    struct buf b;
    int rc;

    if (name == NULL || *name == '\0')
        return node_error(d, n, "%s", "expected a file name");
    path = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", dir, name);
    rc = buf_read_file(&b, path, PEM_MAX, d);
    if (rc == 0) {
        *out = buf_steal(&b);
    } else {
        char *msg = xasprintf("%s: %s", path, d->msg);

        node_error(d, n, "%s", msg);
        free(msg);
    }
    buf_fini(&b);
    free(path);
    return rc;
}

static int
parse_client_auth(struct webcfg *w, const struct yaml_node *n,
                  struct diag *d)
{
    const char *v = yaml_scalar(n);

    for (size_t i = 0; v != NULL && i < sizeof(client_auths)
                                        / sizeof(client_auths[0]); i++)
        if (strcmp(v, client_auths[i].name) == 0) {
            w->client_auth = client_auths[i].v;
            return 0;
        }
    return node_error(d, n, "Invalid ClientAuth: %s", v ? v : "");
}

static int
parse_min_version(struct webcfg *w, const struct yaml_node *n,
                  struct diag *d)
{
    const char *v = yaml_scalar(n);

    for (size_t i = 0; v != NULL && i < sizeof(versions)
                                        / sizeof(versions[0]); i++)
        if (strcmp(v, versions[i].name) == 0) {
            w->priorities = versions[i].priorities;
            return 0;
        }
    return node_error(d, n, "unknown TLS version: %s (TLS10, TLS11, "
                      "TLS12, TLS13)", v ? v : "");
}

/* tls_server_config: cert_file, key_file, client_auth_type,
 * client_ca_file, min_version. */
static int
parse_tls(struct webcfg *w, const char *dir, const struct yaml_node *m,
          struct diag *d)
{
    const struct yaml_node *cert = NULL, *key = NULL;

    if (!yaml_is_map(m))
        return node_error(d, m, "%s", "tls_server_config: expected a "
                          "mapping");
    for (size_t i = 0; i < yaml_map_size(m); i++) {
        const struct yaml_pair *p = yaml_map_at(m, i);
        const char *k = yaml_scalar(p->key);
        int rc;

        if (strcmp(k, "cert_file") == 0)
            rc = read_pem(dir, cert = p->value, &w->cert, d);
        else if (strcmp(k, "key_file") == 0)
            rc = read_pem(dir, key = p->value, &w->key, d);
        else if (strcmp(k, "client_ca_file") == 0)
            rc = read_pem(dir, p->value, &w->ca, d);
        else if (strcmp(k, "client_auth_type") == 0)
            rc = parse_client_auth(w, p->value, d);
        else if (strcmp(k, "min_version") == 0)
            rc = parse_min_version(w, p->value, d);
        else
            rc = node_error(d, p->key, "tls_server_config: %s is not "
                            "supported by promdeck (cert_file, key_file, "
                            "client_ca_file, client_auth_type, "
                            "min_version)", k);
        if (rc < 0)
            return -1;
    }
    if (cert == NULL || key == NULL)
        return node_error(d, m, "%s", cert == NULL ? "missing cert_file"
                                                   : "missing key_file");
    if (w->ca != NULL && w->client_auth == WEBCFG_NO_CLIENT_CERT)
        return node_error(d, m, "%s", "Client CA's have been configured "
                          "without a Client Auth Policy");
    if (w->ca == NULL && w->client_auth != WEBCFG_NO_CLIENT_CERT)
        return node_error(d, m, "%s", "client_auth_type needs "
                          "client_ca_file in promdeck (the CA list is "
                          "what asks the client for a certificate)");
    w->tls = true;
    return 0;
}

/* A bcrypt hash: $2a$, $2b$ or $2y$, two cost digits, 53 more. */
static bool
is_bcrypt(const char *h)
{
    return strlen(h) == 60 && h[0] == '$' && h[1] == '2'
           && (h[2] == 'a' || h[2] == 'b' || h[2] == 'y') && h[3] == '$'
           && h[6] == '$';
}

static int
parse_users(struct webcfg *w, const struct yaml_node *m, struct diag *d)
{
    if (!yaml_is_map(m))
        return yaml_is_null(m) ? 0 : node_error(d, m, "%s",
                   "basic_auth_users: expected a mapping of user: hash");
    w->users = xcalloc(yaml_map_size(m) + 1, sizeof(*w->users));
    for (size_t i = 0; i < yaml_map_size(m); i++) {
        const struct yaml_pair *p = yaml_map_at(m, i);
        const char *h = yaml_scalar(p->value);

        if (h == NULL || !is_bcrypt(h))
            return node_error(d, p->value, "basic_auth_users: the password "
                              "of %s is not a bcrypt hash",
                              yaml_scalar(p->key));
        w->users[w->nusers].name = xstrdup(yaml_scalar(p->key));
        w->users[w->nusers++].hash = xstrdup(h);
    }
    return 0;
}

/* http_server_config: only http2, which promdeck's server lacks. */
static int
parse_http(const struct yaml_node *m, struct diag *d)
{
    for (size_t i = 0; yaml_is_map(m) && i < yaml_map_size(m); i++) {
        const struct yaml_pair *p = yaml_map_at(m, i);

        if (strcmp(yaml_scalar(p->key), "http2") != 0)
            return node_error(d, p->key, "http_server_config: %s is not "
                              "supported by promdeck",
                              yaml_scalar(p->key));
    }
    return 0;
}

static int
parse_top(struct webcfg *w, const char *dir, const struct yaml_node *root,
          struct diag *d)
{
    if (yaml_is_null(root))
        return 0;
    if (!yaml_is_map(root))
        return node_error(d, root, "%s", "expected a mapping");
    for (size_t i = 0; i < yaml_map_size(root); i++) {
        const struct yaml_pair *p = yaml_map_at(root, i);
        const char *k = yaml_scalar(p->key);
        int rc;

        if (strcmp(k, "tls_server_config") == 0)
            rc = parse_tls(w, dir, p->value, d);
        else if (strcmp(k, "basic_auth_users") == 0)
            rc = parse_users(w, p->value, d);
        else if (strcmp(k, "http_server_config") == 0)
            rc = parse_http(p->value, d);
        else
            rc = node_error(d, p->key, "unknown key %s (tls_server_config, "
                            "basic_auth_users, http_server_config)", k);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* A hash of the first user's cost that no password matches, so an
 * unknown user costs what a wrong password costs. */
static void
make_dummy(struct webcfg *w)
{
    struct crypt_data *cd = xcalloc(1, sizeof(*cd));
    unsigned long cost = strtoul(w->users[0].hash + 4, NULL, 10);
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    const char *h;

    if (crypt_gensalt_rn("$2b$", cost, NULL, 0, salt, sizeof(salt)) != NULL
        && (h = crypt_r("promdeck: no such user", salt, cd)) != NULL
        && h[0] == '$')
        w->dummy = xstrdup(h);
    else
        w->dummy = xstrdup(w->users[0].hash);
    free(cd);
}

struct webcfg *
webcfg_load(const char *path, struct diag *d)
{
    struct webcfg *w = xcalloc(1, sizeof(*w));
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL ? xstrdup(".")
                              : xstrndup(path, (size_t)(slash - path) + 1);
    struct yaml_node *root = yaml_load_file(path, d);
    int rc = root == NULL ? -1 : parse_top(w, dir, root, d);

    pthread_mutex_init(&w->mu, NULL);
    w->priorities = w->priorities ? w->priorities : versions[2].priorities;
    if (rc == 0 && w->nusers > 0) {
        make_dummy(w);
        if (getrandom(w->salt, sizeof(w->salt), 0) != sizeof(w->salt))
            w->ncache = SIZE_MAX;       /* no salt: no cache */
    }
    yaml_tree_free(root);
    free(dir);
    if (rc < 0 && d->line > 0)
        d->source = path;       /* the tree's copy of the name is gone */
    if (rc < 0) {
        webcfg_free(w);
        return NULL;
    }
    return w;
}

void
webcfg_free(struct webcfg *w)
{
    if (w == NULL)
        return;
    free(w->cert);
    free(w->key);
    free(w->ca);
    for (size_t i = 0; i < w->nusers; i++) {
        free(w->users[i].name);
        free(w->users[i].hash);
    }
    free(w->users);
    free(w->dummy);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

bool webcfg_tls(const struct webcfg *w) { return w->tls; }
const char *webcfg_cert_pem(const struct webcfg *w) { return w->cert; }
const char *webcfg_key_pem(const struct webcfg *w) { return w->key; }
const char *webcfg_ca_pem(const struct webcfg *w) { return w->ca; }
const char *webcfg_priorities(const struct webcfg *w) { return w->priorities; }
bool webcfg_auth(const struct webcfg *w) { return w->nusers > 0; }

enum webcfg_client_auth
webcfg_client_auth(const struct webcfg *w)
{
    return w->client_auth;
}

/* Equal strings, in time that depends on their lengths only. */
static bool
same(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = na != nb;

    for (size_t i = 0; i < na && i < nb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The cache's key: a digest of the salt and the credentials. */
static void
cache_key(const struct webcfg *w, const char *user, const char *password,
          const char *hash, unsigned char out[MD5_DIGEST_LEN])
{
    struct md5 m;

    md5_init(&m);
    md5_update(&m, w->salt, sizeof(w->salt));
    md5_update(&m, user, strlen(user) + 1);
    md5_update(&m, password, strlen(password) + 1);
    md5_update(&m, hash, strlen(hash));
    md5_final(&m, out);
}

static bool
cache_has(struct webcfg *w, const unsigned char key[MD5_DIGEST_LEN])
{
    bool hit = false;

    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; w->ncache != SIZE_MAX && i < w->ncache; i++)
        hit |= memcmp(w->cache[i], key, MD5_DIGEST_LEN) == 0;
    pthread_mutex_unlock(&w->mu);
    return hit;
}

static void
cache_add(struct webcfg *w, const unsigned char key[MD5_DIGEST_LEN])
{
    pthread_mutex_lock(&w->mu);
    if (w->ncache != SIZE_MAX) {
        memcpy(w->cache[w->next], key, MD5_DIGEST_LEN);
        w->next = (w->next + 1) % CACHE_SLOTS;
        if (w->ncache < CACHE_SLOTS)
            w->ncache++;
    }
    pthread_mutex_unlock(&w->mu);
}

bool
webcfg_check(struct webcfg *w, const char *user, const char *password)
{
    const char *hash = w->dummy;
    struct crypt_data *cd;
    unsigned char key[MD5_DIGEST_LEN];
    const char *got;
    bool known = false, ok;

    for (size_t i = 0; i < w->nusers; i++)
        if (strcmp(w->users[i].name, user) == 0) {
            hash = w->users[i].hash;
            known = true;
        }
    cache_key(w, user, password, hash, key);
    if (known && cache_has(w, key))
        return true;
    cd = xcalloc(1, sizeof(*cd));
    got = crypt_r(password, hash, cd);
    ok = known && got != NULL && got[0] == '$' && same(got, hash);
    free(cd);
    if (ok)
        cache_add(w, key);
    return ok;
}
