# The two commands of the README, plus the benchmarks.
.PHONY: demo test bench
demo:  ## set up .venv with what the demo needs and run the demo playbooks against the embedded emulator
	scripts/demo.sh
# Both runs always run; the target fails if either failed.
test:  ## the whole suite on the newest ansible-core (.venv), then the integration tests on the declared minimum (.venv-min)
	@scripts/test.sh; newest=$$?; scripts/test-min.sh; minimum=$$?; \
	echo "make test: newest ansible-core exit $$newest, declared minimum exit $$minimum"; \
	[ $$newest -eq 0 ] && [ $$minimum -eq 0 ]
bench: ## benchmarks against the emulator (not part of the tests)
	scripts/bench.sh
