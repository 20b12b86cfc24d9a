# lingong — see README.md
GO ?= go

.PHONY: run test test-go vet build bench clean

## run: the API on :8080 with the embedded SQLite database (./data), the dev WeChat and demo data
run:
	LINGONG_ENV=development LINGONG_LOG_FORMAT=text $(GO) run ./server

## test: every test; starts a private MariaDB for the MySQL suite when mariadbd is installed
test: vet test-go

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

test-go:
	.ci/with-mariadb $(GO) test -count=1 ./...

## build: a static binary in ./bin
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/lingong ./server

clean:
	rm -rf bin data
