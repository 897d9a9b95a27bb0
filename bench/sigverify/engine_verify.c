/*
 * engine_verify: GOST R 34.10 signature verifications per second with
 * OpenSSL 3 + the gost engine (libengine-gost-openssl), on a pre-hashed
 * digest, one thread. It is the peer measurement for bench/sigverify.sh;
 * gostsig's side is BenchmarkVerify in gostsig/gost3410.
 *
 * For each curve: generate a key with the engine (paramset ctrl), sign one
 * random digest, then call EVP_PKEY_verify on the same context until the
 * time budget is spent. Every verification must return 1, otherwise the
 * program fails. Output, one line per curve (tab-separated):
 *
 *     curve  verifications  wall-ns/op  cpu-ns/op
 *
 * Build: cc -O2 -o engine_verify engine_verify.c -lcrypto
 * Usage: engine_verify [seconds-per-curve] [curve-name ...]
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct curve {
	const char *name; /* as gostsig's Curve.ShortName */
	int nid;          /* key algorithm */
	const char *paramset;
	size_t digest_len;
};

static const struct curve curves[] = {
	{"CryptoPro-A", NID_id_GostR3410_2012_256, "A", 32},
	{"CryptoPro-B", NID_id_GostR3410_2012_256, "B", 32},
	{"CryptoPro-C", NID_id_GostR3410_2012_256, "C", 32},
	{"tc26-256-A", NID_id_GostR3410_2012_256, "TCA", 32},
	{"tc26-512-A", NID_id_GostR3410_2012_512, "A", 64},
	{"tc26-512-B", NID_id_GostR3410_2012_512, "B", 64},
	{"tc26-512-C", NID_id_GostR3410_2012_512, "C", 64},
};

static double now(clockid_t clk) {
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what, const char *curve) {
	fprintf(stderr, "engine_verify: %s failed for %s\n", what, curve);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static int wanted(const char *name, int argc, char **argv) {
	if (argc <= 2)
		return 1;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv) {
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	if (secs <= 0)
		secs = 1.0;

	ENGINE_load_builtin_engines();
	ENGINE *e = ENGINE_by_id("gost");
	if (e == NULL || !ENGINE_init(e)) {
		fprintf(stderr, "engine_verify: cannot load the gost engine (install libengine-gost-openssl)\n");
		ERR_print_errors_fp(stderr);
		return 2;
	}
	ENGINE_set_default(e, ENGINE_METHOD_ALL);

	for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
		const struct curve *c = &curves[i];
		if (!wanted(c->name, argc, argv))
			continue;
		EVP_PKEY *pkey = NULL;
		EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(c->nid, e);
		if (kctx == NULL || EVP_PKEY_keygen_init(kctx) <= 0 ||
		    EVP_PKEY_CTX_ctrl_str(kctx, "paramset", c->paramset) <= 0 ||
		    EVP_PKEY_keygen(kctx, &pkey) <= 0)
			die("keygen", c->name);

		unsigned char digest[64], sig[128];
		size_t siglen = sizeof sig;
		if (RAND_bytes(digest, (int)c->digest_len) != 1)
			die("RAND_bytes", c->name);
		EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new(pkey, e);
		if (sctx == NULL || EVP_PKEY_sign_init(sctx) <= 0 ||
		    EVP_PKEY_sign(sctx, sig, &siglen, digest, c->digest_len) <= 0)
			die("sign", c->name);

		EVP_PKEY_CTX *vctx = EVP_PKEY_CTX_new(pkey, e);
		if (vctx == NULL || EVP_PKEY_verify_init(vctx) <= 0)
			die("verify_init", c->name);
		/* Warm up, and check that verification works at all. */
		for (int w = 0; w < 10; w++)
			if (EVP_PKEY_verify(vctx, sig, siglen, digest, c->digest_len) != 1)
				die("verify", c->name);

		long n = 0;
		double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID), w1;
		do {
			for (int k = 0; k < 16; k++)
				if (EVP_PKEY_verify(vctx, sig, siglen, digest, c->digest_len) != 1)
					die("verify", c->name);
			n += 16;
			w1 = now(CLOCK_MONOTONIC);
		} while (w1 - w0 < secs * 1e9);
		double c1 = now(CLOCK_THREAD_CPUTIME_ID);
		printf("%s\t%ld\t%.0f\t%.0f\n", c->name, n, (w1 - w0) / n, (c1 - c0) / n);
		fflush(stdout);

		EVP_PKEY_CTX_free(vctx);
		EVP_PKEY_CTX_free(sctx);
		EVP_PKEY_CTX_free(kctx);
		EVP_PKEY_free(pkey);
	}
	ENGINE_finish(e);
	ENGINE_free(e);
	return 0;
}
