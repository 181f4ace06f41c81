/* A migration agent's preflight check in C: audit the downloaded certkey response with
 * certkey's C ABI before opening the mutual-TLS connection.
 *
 *   cc -I ffi/include preflight.c target/release/libcertkey_ffi.a -lpthread -ldl -lm
 *   ./a.out response.json ['{"at": "2026-06-01"}']
 *
 * Exits 0 when the bundle is sound, 1 when it is not (the report is printed), 2 when it cannot
 * be audited. */
#include <stdio.h>
#include <stdlib.h>

#include "certkey.h"

static int preflight(const uint8_t *response, size_t len, const char *policy_json) {
    char *report = NULL;
    certkey_status status = certkey_audit(response, len, policy_json, &report);
    if (status == CERTKEY_NOT_OK)
        fprintf(stderr, "the certkey bundle is not sound: %s\n", report);
    else if (status != CERTKEY_OK)
        fprintf(stderr, "certkey: %s\n", report);
    certkey_string_free(report);
    return status == CERTKEY_OK ? 0 : status == CERTKEY_NOT_OK ? 1 : 2;
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s RESPONSE.json [POLICY_JSON]\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (file == NULL) {
        perror(argv[1]);
        return 2;
    }
    static uint8_t response[16 << 20];
    size_t len = fread(response, 1, sizeof response, file);
    fclose(file);
    return preflight(response, len, argc == 3 ? argv[2] : "{\"warn_within\": \"14d\"}");
}
