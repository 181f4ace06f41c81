// A migration agent's preflight check in Go: audit the downloaded certkey response with
// certkey's C ABI (cgo, static library) before opening the mutual-TLS connection.
//
//	CGO_LDFLAGS="-L/path/to/certkey/target/release" go run . response.json
//
// Prints the verdict and the failing findings; exits 0 when every bundle is sound, 1 when one
// is not, 2 when one cannot be audited. -json prints the reports instead.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: -l:libcertkey_ffi.a -lm -ldl -lpthread
#include <stdlib.h>
#include "certkey.h"
*/
import "C"

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"unsafe"
)

// Finding is one finding of the report (the members an agent needs).
type Finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Field    string `json:"field"` // "" for the whole response
	Message  string `json:"message"`
}

// Report is certkey's report (docs/report.schema.json describes every member).
type Report struct {
	OK       bool      `json:"ok"`
	Findings []Finding `json:"findings"`
}

// Audit runs certkey on a response under policy (JSON options, "" for the defaults).
func Audit(response []byte, policy string) (Report, string, error) {
	var report Report
	var out *C.char
	cpolicy := C.CString(policy)
	defer C.free(unsafe.Pointer(cpolicy))
	var data *C.uint8_t
	if len(response) > 0 {
		data = (*C.uint8_t)(unsafe.Pointer(&response[0]))
	}
	status := C.certkey_audit(data, C.size_t(len(response)), cpolicy, &out)
	text := C.GoString(out)
	C.certkey_string_free(out)
	if status != C.CERTKEY_OK && status != C.CERTKEY_NOT_OK {
		return report, "", fmt.Errorf("%s", text)
	}
	err := json.Unmarshal([]byte(text), &report)
	return report, text, err
}

// preflight audits a downloaded response: 0 when sound, 1 when not, 2 when not audited.
func preflight(response []byte, policy string) int {
	report, _, err := Audit(response, policy)
	if err != nil {
		fmt.Fprintln(os.Stderr, "certkey:", err)
		return 2
	}
	if report.OK {
		fmt.Println("the certkey bundle is sound")
		return 0
	}
	for _, f := range report.Findings {
		if f.Severity == "error" {
			fmt.Printf("%s in %s: %s\n", f.ID, f.Field, f.Message)
		}
	}
	return 1
}

func main() {
	policy := flag.String("policy", `{"warn_within": "14d"}`, "the policy, as JSON options")
	asJSON := flag.Bool("json", false, "print each report as JSON")
	flag.Parse()
	exit := 0
	for _, path := range flag.Args() {
		response, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		code := 0
		if *asJSON {
			report, text, err := Audit(response, *policy)
			if err != nil {
				fmt.Fprintln(os.Stderr, "certkey:", err)
				os.Exit(2)
			}
			fmt.Println(text)
			if !report.OK {
				code = 1
			}
		} else {
			fmt.Printf("%s: ", path)
			code = preflight(response, *policy)
		}
		if code > exit {
			exit = code
		}
	}
	os.Exit(exit)
}
