module certkey.test/stacks

go 1.23
