/*
 * The web configuration file of `promdeck serve --web.config.file`, in
 * the format of Prometheus's exporter-toolkit: tls_server_config
 * (cert_file, key_file, client_ca_file, client_auth_type, min_version)
 * and basic_auth_users (user: bcrypt hash). It reads the file and checks
 * passwords; serving TLS is src/api/http.c's part.
 *
 * Ownership: webcfg_load returns a config the caller frees with
 * webcfg_free; strings it returns are borrowed until then. webcfg_check
 * may be called from many threads at once.
 */
#ifndef API_WEBCONFIG_H
#define API_WEBCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "src/base/diag.h"

struct webcfg;

/* Client certificates, as Go's tls.ClientAuthType names them. */
enum webcfg_client_auth {
    WEBCFG_NO_CLIENT_CERT,
    WEBCFG_REQUEST_CLIENT_CERT,
    WEBCFG_REQUIRE_ANY_CLIENT_CERT,
    WEBCFG_VERIFY_CLIENT_CERT_IF_GIVEN,
    WEBCFG_REQUIRE_AND_VERIFY_CLIENT_CERT,
};

/*
 * Reads the file at path; paths inside it are relative to its folder,
 * and the certificate and key files are read here. NULL with d set
 * (its source path, borrowed, and line:col when the YAML says where) on
 * any error: an unknown key,
 * a missing cert_file or key_file, an unknown client_auth_type or
 * min_version, a password that is not a bcrypt hash.
 */
struct webcfg *webcfg_load(const char *path, struct diag *d);
void webcfg_free(struct webcfg *w);

/* Whether the file asks for TLS; then the PEM texts (NUL-ended). The CA
 * is NULL without client_ca_file. */
bool webcfg_tls(const struct webcfg *w);
const char *webcfg_cert_pem(const struct webcfg *w);
const char *webcfg_key_pem(const struct webcfg *w);
const char *webcfg_ca_pem(const struct webcfg *w);
enum webcfg_client_auth webcfg_client_auth(const struct webcfg *w);
/* A GnuTLS priority string allowing min_version and later (TLS12 when
 * not given, as Prometheus defaults). */
const char *webcfg_priorities(const struct webcfg *w);

/* Whether basic_auth_users lists anyone (then every request needs a
 * user and password). */
bool webcfg_auth(const struct webcfg *w);
/*
 * Whether user and password match an entry of basic_auth_users: bcrypt
 * ($2a$, $2b$, $2y$) through crypt(3), the hashes compared in constant
 * time; an unknown user costs as much as a wrong password. Successful
 * checks are remembered (a salted digest, never the password), so a
 * client sending the same credentials on every request does not pay
 * bcrypt's cost each time.
 */
bool webcfg_check(struct webcfg *w, const char *user, const char *password);

#endif
