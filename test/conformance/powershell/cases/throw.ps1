"before"
throw "This is an error."
"after"
