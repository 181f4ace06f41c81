module certkey.example/preflight

go 1.19
