#!/bin/sh
# Stand-in for Prisma's schema-engine binary, which cannot be downloaded here.
# `prisma generate` only checks that the path is executable; anything that really needs
# the engine should use `npm run db:migrate` (the WebAssembly engine) instead.
echo "paperboy: the native Prisma schema engine is not installed; use 'npm run db:migrate'" >&2
exit 1
