# Varnish in front of healthsite (Varnish 7 with varnish-modules' xkey; Debian: varnish varnish-modules).
#
# Varnish keeps what the site marks shared (Cache-Control: public, s-maxage=N: the anonymous article
# pages, never past the next midnight in TIME_ZONE) and passes everything else. The site purges pages by
# surrogate key after every write that changes them: set CDN_PURGE_URL=http://<this varnish>/ and, with
# Varnish the only proxy, TRUSTED_PROXY_COUNT=1 (Varnish appends the client's address to X-Forwarded-For).
#
#   varnishd -a :80 -f /etc/varnish/healthsite.vcl -s malloc,256m
#
# Point the backend at gunicorn (or a load balancer in front of several).

vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may purge: the web servers (their address as Varnish sees it).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A reader with an account, session state (their pending comment, crisis help, reports) or a
    # message waiting gets a page of their own from the site: never a shared one, never kept.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Pages that read the CSRF cookie or answer one reader (the comment form's token, reports, the
    # accounts, the desk, the admin) get the reader's cookies and are never kept.
    if (req.url ~ "^/(admin|accounts|moderation|comments)/") {
        return (pass);
    }
    # Shared pages depend on no cookie: drop them (the CSRF cookie, analytics), so they never split the cache.
    unset req.http.Cookie;
    # One copy per encoding the site makes (Brotli, gzip, none), whatever the browser's exact header;
    # an encoding sent with q=0 is one the browser refuses.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b(?!\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$))") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    set req.http.X-Site-Encoding = req.http.Accept-Encoding;
    return (hash);
}

sub vcl_hash {
    # Varnish rewrites Accept-Encoding after vcl_recv (gzip or nothing, http_gzip_support), so the
    # encoding is part of the key: a Brotli copy only for readers who take Brotli.
    hash_data(req.http.X-Site-Encoding);
}

sub vcl_backend_fetch {
    # Varnish asks for gzip by itself (http_gzip_support): ask for the encoding the reader takes instead.
    if (bereq.http.X-Site-Encoding) {
        set bereq.http.Accept-Encoding = bereq.http.X-Site-Encoding;
    } else {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.X-Site-Encoding;
}

sub vcl_backend_response {
    # Keep only what the site says every reader may share; everything else passes for two minutes.
    if (beresp.http.Cache-Control !~ "(?i)\bpublic\b" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # No stale copy past s-maxage (it ends at midnight, when the APA retrieval date changes); an expired
    # copy is kept a while to revalidate with its ETag (a 304 from the site when it still holds).
    set beresp.grace = 0s;
    set beresp.keep = 10m;
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # The keys are for purging here, not for readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
