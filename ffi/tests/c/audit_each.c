/* Calls certkey's C ABI as a C program would (tests/c.rs compiles it with cc and runs it).
 *
 * First checks the calls' contracts (the version, NULL arguments, a bad policy), then audits
 * each line of stdin, "PATH<TAB>POLICY_JSON", and prints "STATUS<TAB>REPORT_JSON" for it. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certkey.h"

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        exit(2);
    }
    size_t capacity = 4096, used = 0;
    unsigned char *data = malloc(capacity);
    size_t got;
    while ((got = fread(data + used, 1, capacity - used, file)) > 0) {
        used += got;
        if (used == capacity) {
            capacity *= 2;
            data = realloc(data, capacity);
        }
    }
    fclose(file);
    *len = used;
    return data;
}

static void check_contracts(void) {
    assert(strcmp(certkey_version(), CERTKEY_EXPECTED_VERSION) == 0);

    char *out = NULL;
    assert(certkey_audit(NULL, 0, NULL, NULL) == CERTKEY_INVALID_ARGUMENT);
    assert(certkey_audit(NULL, 3, NULL, &out) == CERTKEY_INVALID_ARGUMENT);
    assert(out != NULL && strstr(out, "NULL") != NULL);
    certkey_string_free(out);

    out = NULL;
    assert(certkey_audit((const uint8_t *)"{}", 2, "{\"profil\": \"legacy\"}", &out) ==
           CERTKEY_INVALID_POLICY);
    assert(strstr(out, "unknown option `profil`") != NULL);
    certkey_string_free(out);

    out = NULL;
    assert(certkey_audit((const uint8_t *)"{}", 2, "{}", &out) == CERTKEY_NOT_OK);
    assert(strstr(out, "\"response.not_a_bundle\"") != NULL);
    certkey_string_free(out);
    certkey_string_free(NULL);
}

int main(void) {
    check_contracts();
    char *line = NULL;
    size_t capacity = 0;
    ssize_t got;
    while ((got = getline(&line, &capacity, stdin)) > 0) {
        if (line[got - 1] == '\n') {
            line[got - 1] = '\0';
        }
        char *tab = strchr(line, '\t');
        assert(tab != NULL);
        *tab = '\0';
        size_t len;
        unsigned char *data = read_file(line, &len);
        char *report = NULL;
        certkey_status status = certkey_audit(data, len, tab + 1, &report);
        printf("%d\t%s\n", (int)status, report);
        certkey_string_free(report);
        free(data);
    }
    free(line);
    return 0;
}
