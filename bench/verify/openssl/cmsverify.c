/*
 * cmsverify.c: the OpenSSL peer of gostsig's end-to-end verify benchmark.
 *
 * It does in-process what `openssl cms -verify -CAfile STORE -crl_check_all
 * -attime T` does for one attached CMS signature, over and over: parse the
 * DER, verify the SignerInfo (messageDigest, GOST signature), build and check
 * the chain to the root in STORE, check every certificate against the CRLs in
 * STORE. The X509_STORE (roots, intermediates, CRLs) is loaded once and shared,
 * which is OpenSSL's "warm cache". T threads run the loop concurrently for
 * SECONDS seconds.
 *
 * build: cc -O2 -Wno-deprecated-declarations -o cmsverify cmsverify.c -lcrypto -lpthread
 * run:   cmsverify SIG.der STORE.pem UNIXTIME THREADS SECONDS
 * out:   one line "verifies=N seconds=S failures=F"
 *
 * The gost engine is loaded by id ("gost", Debian libengine-gost-openssl).
 */
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned char *sig;
static long siglen;
static X509_STORE *store;
static double deadline;

struct worker {
	pthread_t th;
	long ok, failed;
};

static double monotonic(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int verify_once(void) {
	BIO *in = BIO_new_mem_buf(sig, (int)siglen);
	CMS_ContentInfo *cms = d2i_CMS_bio(in, NULL);
	int ok = 0;
	if (cms != NULL) {
		ok = CMS_verify(cms, NULL, store, NULL, NULL, CMS_BINARY) == 1;
		CMS_ContentInfo_free(cms);
	}
	BIO_free(in);
	if (!ok)
		ERR_clear_error();
	return ok;
}

static void *run(void *arg) {
	struct worker *w = arg;
	while (monotonic() < deadline) {
		/* check the clock every 16 verifications */
		for (int i = 0; i < 16; i++) {
			if (verify_once())
				w->ok++;
			else
				w->failed++;
		}
	}
	return NULL;
}

static unsigned char *read_file(const char *name, long *len) {
	FILE *f = fopen(name, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)*len);
	if (b == NULL || fread(b, 1, (size_t)*len, f) != (size_t)*len) {
		fclose(f);
		free(b);
		return NULL;
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv) {
	if (argc != 6) {
		fprintf(stderr, "usage: cmsverify SIG.der STORE.pem UNIXTIME THREADS SECONDS\n");
		return 64;
	}
	ENGINE_load_builtin_engines();
	ENGINE *e = ENGINE_by_id("gost");
	if (e == NULL || !ENGINE_init(e)) {
		fprintf(stderr, "cmsverify: the gost engine is not available\n");
		return 69;
	}
	ENGINE_set_default(e, ENGINE_METHOD_ALL);

	if ((sig = read_file(argv[1], &siglen)) == NULL) {
		fprintf(stderr, "cmsverify: cannot read %s\n", argv[1]);
		return 66;
	}
	store = X509_STORE_new();
	if (X509_STORE_load_file(store, argv[2]) != 1) {
		fprintf(stderr, "cmsverify: cannot load %s\n", argv[2]);
		ERR_print_errors_fp(stderr);
		return 66;
	}
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)atoll(argv[3]));

	/* one verification up front: it must succeed, or the figures are void */
	if (!verify_once()) {
		BIO *in = BIO_new_mem_buf(sig, (int)siglen);
		CMS_ContentInfo *cms = d2i_CMS_bio(in, NULL);
		CMS_verify(cms, NULL, store, NULL, NULL, CMS_BINARY);
		fprintf(stderr, "cmsverify: the signature does not verify:\n");
		ERR_print_errors_fp(stderr);
		return 1;
	}

	int threads = atoi(argv[4]);
	double seconds = atof(argv[5]);
	if (threads < 1 || threads > 256 || seconds <= 0) {
		fprintf(stderr, "cmsverify: bad THREADS or SECONDS\n");
		return 64;
	}
	struct worker *ws = calloc((size_t)threads, sizeof *ws);
	double start = monotonic();
	deadline = start + seconds;
	for (int i = 0; i < threads; i++)
		pthread_create(&ws[i].th, NULL, run, &ws[i]);
	long ok = 0, failed = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(ws[i].th, NULL);
		ok += ws[i].ok;
		failed += ws[i].failed;
	}
	double elapsed = monotonic() - start;
	printf("verifies=%ld seconds=%.3f failures=%ld\n", ok, elapsed, failed);
	return failed ? 1 : 0;
}
