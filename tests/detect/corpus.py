#!/usr/bin/env python3
"""Build a labelled corpus of realistic files for leakgate's detection bench.

Every key is generated at run time from the token format its issuer
publishes (prefix, alphabet, length, checksum), and placed in the kind of
file where such keys leak: source in several languages, .env files, YAML,
JSON, TOML, Terraform, Dockerfiles, notebooks, MCP client configs, CI
files, shell history, docs. Decoys are the things a scanner should leave
alone: placeholders, templates, vendor documentation keys, test-mode keys,
public keys, hashes, lockfile integrity values, UUIDs, data URIs,
publishable keys, wrong-checksum look-alikes.

Nothing here reads leakgate's rules: the corpus is written from the
formats, not from the patterns, so that tuning the rules to this corpus
is not possible by construction.

    corpus.py DIR [SEED]   writes DIR/... and DIR/../labels.json
"""
import base64, json, os, random, string, sys, zlib

A = string.ascii_letters + string.digits
U = string.ascii_uppercase + string.digits
L = string.ascii_lowercase + string.digits
H = '0123456789abcdef'
B64 = A + '+/'
URLS = A + '-_'

class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
    def s(self, n, cs=A):
        return ''.join(self.r.choice(cs) for _ in range(n))
    def b62crc(self, prefix):
        body = self.s(30)
        c = zlib.crc32(body.encode()) & 0xffffffff
        d = string.digits + string.ascii_uppercase + string.ascii_lowercase
        out = ''
        for _ in range(6):
            out = d[c % 62] + out
            c //= 62
        return prefix + body + out
    def uuid(self):
        return '-'.join(self.s(n, H) for n in (8, 4, 4, 4, 12))
    def b64u(self, raw):
        return base64.urlsafe_b64encode(raw).decode().rstrip('=')
    def jwt(self, payload, sigbytes=32, alg='HS256'):
        h = self.b64u(json.dumps({'alg': alg, 'typ': 'JWT'}).encode())
        p = self.b64u(json.dumps(payload).encode())
        return '%s.%s.%s' % (h, p, self.b64u(bytes(self.r.getrandbits(8) for _ in range(sigbytes))))
    def pem(self, label, lines=8):
        body = '\n'.join(self.s(64, B64) for _ in range(lines)) + '\n' + self.s(40, B64) + '=='
        return '-----BEGIN %s-----\n%s\n-----END %s-----\n' % (label, body, label)

# --------------------------------------------------------------------------
# Token kinds: provider -> list of (name, generator(g), typical variable)
def kinds(g):
    return {
        'OpenAI': [
            ('legacy', lambda: 'sk-' + g.s(20) + 'T3BlbkFJ' + g.s(20), 'OPENAI_API_KEY'),
            ('project', lambda: 'sk-proj-' + g.s(74, URLS) + 'T3BlbkFJ' + g.s(74, URLS), 'OPENAI_API_KEY'),
            ('svcacct', lambda: 'sk-svcacct-' + g.s(74, URLS) + 'T3BlbkFJ' + g.s(74, URLS), 'OPENAI_KEY'),
            ('admin', lambda: 'sk-admin-' + g.s(58, URLS) + 'T3BlbkFJ' + g.s(58, URLS), 'OPENAI_ADMIN_KEY'),
            ('none', lambda: 'sk-None-' + g.s(74, URLS) + 'T3BlbkFJ' + g.s(74, URLS), 'OPENAI_API_KEY')],
        'Anthropic': [
            ('api', lambda: 'sk-ant-api03-' + g.s(93, URLS) + 'AA', 'ANTHROPIC_API_KEY'),
            ('admin', lambda: 'sk-ant-admin01-' + g.s(93, URLS) + 'AA', 'ANTHROPIC_ADMIN_KEY')],
        'AWS': [
            ('akid', lambda: 'AKIA' + g.s(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), 'AWS_ACCESS_KEY_ID'),
            ('asia', lambda: 'ASIA' + g.s(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), 'aws_access_key_id'),
            ('secret', lambda: g.s(40, B64), 'AWS_SECRET_ACCESS_KEY'),
            ('session', lambda: 'IQoJb3JpZ2luX2VjE' + g.s(380, B64), 'AWS_SESSION_TOKEN')],
        'Google': [
            ('apikey', lambda: 'AIza' + g.s(35, URLS), 'GOOGLE_API_KEY'),
            ('oauth-secret', lambda: 'GOCSPX-' + g.s(28, URLS), 'GOOGLE_CLIENT_SECRET'),
            ('refresh', lambda: '1//0' + g.s(100, URLS), 'refresh_token'),
            ('access', lambda: 'ya29.a0' + g.s(150, URLS), 'access_token')],
        'Azure': [
            ('storage', lambda: g.s(86, B64) + '==', 'AZURE_STORAGE_KEY'),
            ('ad-secret', lambda: g.s(3, A + '_~.') + '8Q~' + g.s(34, A + '_~.-'), 'AZURE_CLIENT_SECRET'),
            ('devops', lambda: g.s(52) + 'JQQJ99' + g.s(1) + g.r.choice('ABCDEFGHIJKL') + g.s(16) + g.r.choice(string.ascii_letters) + g.s(7), 'AZURE_DEVOPS_PAT')],
        'GitHub': [
            ('ghp', lambda: g.b62crc('ghp_'), 'GITHUB_TOKEN'),
            ('gho', lambda: g.b62crc('gho_'), 'GH_TOKEN'),
            ('ghs', lambda: g.b62crc('ghs_'), 'GITHUB_APP_TOKEN'),
            ('ghr', lambda: g.b62crc('ghr_'), 'refresh_token'),
            ('ghu', lambda: g.b62crc('ghu_'), 'token'),
            ('fine', lambda: 'github_pat_11' + g.s(20, U) + '_' + g.s(59), 'GITHUB_PAT')],
        'GitLab': [
            ('pat', lambda: 'glpat-' + g.s(20, URLS), 'GITLAB_TOKEN'),
            ('deploy', lambda: 'gldt-' + g.s(20, URLS), 'CI_DEPLOY_PASSWORD'),
            ('runner', lambda: 'glrt-' + g.s(20, URLS), 'RUNNER_TOKEN'),
            ('trigger', lambda: 'glptt-' + g.s(40, H), 'TRIGGER_TOKEN'),
            ('oauth', lambda: 'gloas-' + g.s(64, URLS), 'GITLAB_OAUTH_SECRET')],
        'Bitbucket': [('app-password', lambda: 'ATBB' + g.s(28) + g.s(8, '0123456789ABCDEF'), 'BITBUCKET_APP_PASSWORD')],
        'Atlassian': [('api-token', lambda: 'ATATT3xFfGF0' + g.s(171, URLS) + '=' + g.s(8, '0123456789ABCDEF'), 'JIRA_API_TOKEN')],
        'Slack': [
            ('bot', lambda: 'xoxb-%s-%s-%s' % (g.s(12, string.digits), g.s(13, string.digits), g.s(24)), 'SLACK_BOT_TOKEN'),
            ('user', lambda: 'xoxp-%s-%s-%s-%s' % (g.s(12, string.digits), g.s(12, string.digits), g.s(13, string.digits), g.s(32, H)), 'SLACK_USER_TOKEN'),
            ('app', lambda: 'xapp-1-A%s-%s-%s' % (g.s(10, U), g.s(13, string.digits), g.s(64, H)), 'SLACK_APP_TOKEN'),
            ('webhook', lambda: 'https://hooks.slack.com/services/T%s/B%s/%s' % (g.s(10, U), g.s(10, U), g.s(24)), 'SLACK_WEBHOOK_URL')],
        'Discord': [
            ('bot', lambda: g.r.choice('MN') + g.s(25, URLS) + '.' + g.s(6, URLS) + '.' + g.s(38, URLS), 'DISCORD_BOT_TOKEN'),
            ('webhook', lambda: 'https://discord.com/api/webhooks/%s/%s' % (g.s(19, string.digits), g.s(68, URLS)), 'DISCORD_WEBHOOK')],
        'Telegram': [('bot', lambda: g.s(10, string.digits) + ':AA' + g.s(33, URLS), 'TELEGRAM_BOT_TOKEN')],
        'Twilio': [('apikey', lambda: 'SK' + g.s(32, H), 'TWILIO_API_KEY'), ('auth', lambda: g.s(32, H), 'TWILIO_AUTH_TOKEN')],
        'SendGrid': [('api', lambda: 'SG.' + g.s(22, URLS) + '.' + g.s(43, URLS), 'SENDGRID_API_KEY')],
        'Mailgun': [('key', lambda: 'key-' + g.s(32, H), 'MAILGUN_API_KEY')],
        'Mailchimp': [('api', lambda: g.s(32, H) + '-us' + str(g.r.randint(2, 21)), 'MAILCHIMP_API_KEY')],
        'Stripe': [('secret', lambda: 'sk_live_' + g.s(99), 'STRIPE_SECRET_KEY'), ('restricted', lambda: 'rk_live_' + g.s(99), 'STRIPE_KEY'),
                   ('webhook', lambda: 'whsec_' + g.s(32), 'STRIPE_WEBHOOK_SECRET')],
        'Square': [('access', lambda: 'EAAA' + g.s(60, URLS), 'SQUARE_ACCESS_TOKEN')],
        'PayPal': [('braintree', lambda: 'access_token$production$%s$%s' % (g.s(16, L), g.s(32, H)), 'BRAINTREE_TOKEN')],
        'Shopify': [('admin', lambda: 'shpat_' + g.s(32, H), 'SHOPIFY_ACCESS_TOKEN'), ('secret', lambda: 'shpss_' + g.s(32, H), 'SHOPIFY_API_SECRET')],
        'HuggingFace': [('token', lambda: 'hf_' + g.s(34, string.ascii_letters), 'HF_TOKEN')],
        'Replicate': [('token', lambda: 'r8_' + g.s(37), 'REPLICATE_API_TOKEN')],
        'Groq': [('key', lambda: 'gsk_' + g.s(52), 'GROQ_API_KEY')],
        'Mistral': [('key', lambda: g.s(32), 'MISTRAL_API_KEY')],
        'Cohere': [('key', lambda: g.s(40), 'COHERE_API_KEY')],
        'Perplexity': [('key', lambda: 'pplx-' + g.s(48), 'PERPLEXITY_API_KEY')],
        'npm': [('token', lambda: g.b62crc('npm_'), 'NPM_TOKEN')],
        'PyPI': [('token', lambda: 'pypi-AgEIcHlwaS5vcmc' + g.s(150, URLS), 'PYPI_TOKEN')],
        'RubyGems': [('key', lambda: 'rubygems_' + g.s(48, H), 'GEM_HOST_API_KEY')],
        'NuGet': [('key', lambda: 'oy2' + g.r.choice('abcdefghijklmnop') + g.s(15, L) + g.r.choice('aq') + g.s(11, L) + g.r.choice('eu')
                   + g.r.choice('bdfhjlnprtvxz357') + g.r.choice('abcdefghijklmnop') + g.s(11, L) + g.r.choice('aeimquy4'), 'NUGET_API_KEY')],
        'Docker': [('pat', lambda: 'dckr_pat_' + g.s(27, URLS), 'DOCKERHUB_TOKEN')],
        'Heroku': [('key', lambda: 'HRKU-AA' + g.s(58, URLS), 'HEROKU_API_KEY'), ('legacy', lambda: g.uuid(), 'HEROKU_API_KEY')],
        'DigitalOcean': [('pat', lambda: 'dop_v1_' + g.s(64, H), 'DIGITALOCEAN_TOKEN')],
        'Cloudflare': [('token', lambda: g.s(40, URLS), 'CLOUDFLARE_API_TOKEN'), ('origin', lambda: 'v1.0-' + g.s(24, H) + '-' + g.s(146, H), 'CF_ORIGIN_CA_KEY')],
        'Vercel': [('token', lambda: g.s(24), 'VERCEL_TOKEN')],
        'Netlify': [('token', lambda: 'nfp_' + g.s(36), 'NETLIFY_AUTH_TOKEN')],
        'Supabase': [('pat', lambda: 'sbp_' + g.s(40, H), 'SUPABASE_ACCESS_TOKEN'),
                     ('service', lambda: g.jwt({'iss': 'supabase', 'ref': g.s(20, string.ascii_lowercase), 'role': 'service_role', 'iat': 1700000000}), 'SUPABASE_SERVICE_ROLE_KEY')],
        'Firebase': [('fcm', lambda: 'AAAA' + g.s(7, URLS) + ':APA91b' + g.s(134, URLS), 'FCM_SERVER_KEY')],
        'Datadog': [('api', lambda: g.s(32, H), 'DD_API_KEY'), ('app', lambda: g.s(40, H), 'DD_APP_KEY')],
        'New Relic': [('user', lambda: 'NRAK-' + g.s(27, U), 'NEW_RELIC_API_KEY'), ('license', lambda: g.s(36, H) + 'NRAL', 'NEW_RELIC_LICENSE_KEY')],
        'Sentry': [('user', lambda: 'sntryu_' + g.s(64, H), 'SENTRY_AUTH_TOKEN')],
        'PagerDuty': [('api', lambda: 'u+' + g.s(18, URLS), 'PAGERDUTY_API_KEY')],
        'Linear': [('api', lambda: 'lin_api_' + g.s(40), 'LINEAR_API_KEY')],
        'Notion': [('token', lambda: 'ntn_' + g.s(11, string.digits) + g.s(35), 'NOTION_TOKEN'), ('legacy', lambda: 'secret_' + g.s(43), 'NOTION_API_KEY')],
        'Airtable': [('pat', lambda: 'pat' + g.s(14) + '.' + g.s(64, H), 'AIRTABLE_API_KEY')],
        'Okta': [('token', lambda: '00' + g.s(40, URLS), 'OKTA_API_TOKEN')],
        'Auth0': [('secret', lambda: g.s(64, URLS), 'AUTH0_CLIENT_SECRET')],
        'HashiCorp': [('vault', lambda: 'hvs.CAESI' + g.s(95, URLS), 'VAULT_TOKEN'), ('tfc', lambda: g.s(14) + '.atlasv1.' + g.s(67, URLS), 'TF_API_TOKEN')],
        'Doppler': [('service', lambda: 'dp.st.prd.' + g.s(43), 'DOPPLER_TOKEN')],
        '1Password': [('sa', lambda: 'ops_eyJ' + g.s(600, B64), 'OP_SERVICE_ACCOUNT_TOKEN')],
        'Databricks': [('pat', lambda: 'dapi' + g.s(32, H), 'DATABRICKS_TOKEN')],
        'Snowflake': [('password', lambda: g.s(20, A + '!#%'), 'SNOWFLAKE_PASSWORD')],
        'database': [('pg', lambda: g.s(22), 'postgres'), ('mysql', lambda: g.s(18), 'mysql'), ('mongo', lambda: g.s(24), 'mongodb+srv'),
                     ('redis', lambda: g.s(32), 'redis'), ('amqp', lambda: g.s(20), 'amqps')],
        'generic': [('password', lambda: g.s(18, A + '!@#%^*'), 'DB_PASSWORD'), ('secret', lambda: g.s(48, URLS), 'SESSION_SECRET'),
                    ('apikey', lambda: g.s(32), 'PAYMENTS_API_KEY'), ('token', lambda: g.s(40, L), 'INTERNAL_SERVICE_TOKEN')],
    }

# --------------------------------------------------------------------------
class Corpus:
    def __init__(self, root, g):
        self.root, self.g, self.labels, self.files = root, g, [], {}
    def write(self, path, text, crlf=False):
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        data = text.replace('\n', '\r\n') if crlf else text
        with open(full, 'w', newline='') as f:
            f.write(data)
    def label(self, path, text, needle, provider, kind, positive=True):
        # line of the first occurrence of the needle (1-based)
        i = text.index(needle)
        line = text.count('\n', 0, i) + 1
        self.labels.append({'path': path, 'line': line, 'provider': provider, 'kind': kind, 'positive': positive,
                            'secret_prefix': needle[:6]})

def contexts(g, var, key, lang):
    """One realistic line that assigns key to a variable named like var."""
    low = var.lower()
    camel = ''.join(w.capitalize() for w in low.split('_'))
    camel = camel[0].lower() + camel[1:]
    return {
        'py': ['%s = "%s"' % (var, key), '%s = os.environ.get("%s", "%s")' % (low, var, key), 'client = Client(api_key="%s")' % key],
        'js': ["const %s = '%s';" % (camel, key), 'export const %s = "%s"' % (var, key), "  %s: '%s'," % (camel, key)],
        'go': ['%s := "%s"' % (camel, key), 'const %s = "%s"' % (camel, key), 'os.Setenv("%s", "%s")' % (var, key)],
        'java': ['private static final String %s = "%s";' % (var, key), 'props.setProperty("%s", "%s");' % (low.replace('_', '.'), key)],
        'rb': ['%s = "%s"' % (var, key), "ENV['%s'] ||= '%s'" % (var, key)],
        'php': ["define('%s', '%s');" % (var, key), "'%s' => '%s'," % (low, key)],
        'cs': ['var %s = "%s";' % (camel, key), 'private const string %s = "%s";' % (camel[0].upper() + camel[1:], key)],
        'rs': ['const %s: &str = "%s";' % (var, key), 'let %s = "%s";' % (low, key)],
        'sh': ['export %s=%s' % (var, key), '%s="%s" ./run.sh' % (var, key)],
        'env': ['%s=%s' % (var, key), '%s="%s"' % (var, key)],
        'yaml': ['  %s: %s' % (var, key), '  %s: "%s"' % (low, key)],
        'json': ['  "%s": "%s",' % (var, key)],
        'toml': ['%s = "%s"' % (low, key)],
        'tf': ['  %s = "%s"' % (low, key)],
        'docker': ['ENV %s=%s' % (var, key)],
        'props': ['%s=%s' % (low.replace('_', '.'), key)],
    }[lang]

EXT = {'py': 'py', 'js': 'js', 'go': 'go', 'java': 'java', 'rb': 'rb', 'php': 'php', 'cs': 'cs', 'rs': 'rs', 'sh': 'sh',
       'env': 'env', 'yaml': 'yaml', 'json': 'json', 'toml': 'toml', 'tf': 'tf', 'docker': 'Dockerfile', 'props': 'properties'}

FILLER = {
    'py': ['import os', 'import logging', '', 'log = logging.getLogger(__name__)', 'TIMEOUT = 30', 'def handler(event):', '    return {"ok": True}'],
    'js': ["'use strict';", "const express = require('express');", 'const app = express();', 'app.listen(3000);'],
    'go': ['package main', '', 'import "os"', 'func main() {', '}'],
    'java': ['package com.example.app;', 'public class Config {', '}'],
    'rb': ["require 'json'", 'module App', 'end'],
    'php': ['<?php', 'return ['],
    'cs': ['using System;', 'namespace App {', '}'],
    'rs': ['use std::env;', 'fn main() {}'],
    'sh': ['#!/bin/sh', 'set -eu'],
    'env': ['NODE_ENV=production', 'PORT=8080', 'LOG_LEVEL=info'],
    'yaml': ['version: "3.8"', 'services:', '  app:', '    image: app:latest', '    environment:'],
    'json': ['{', '  "name": "service",', '  "version": "1.2.0",'],
    'toml': ['[server]', 'port = 8080'],
    'tf': ['provider "aws" {', '  region = "eu-west-1"', '}', 'resource "x" "y" {'],
    'docker': ['FROM node:20-alpine', 'WORKDIR /app', 'COPY . .'],
    'props': ['server.port=8080', 'spring.application.name=service'],
}

def build(root, seed):
    g = Gen(seed)
    c = Corpus(root, g)
    K = kinds(g)
    langs = list(EXT)
    n = 0
    # 1. Positives: every kind, several times, in rotating languages and contexts.
    for prov, ks in K.items():
        for kname, gen, var in ks:
            for rep in range(3):
                key = gen()
                lang = langs[(n * 7 + rep) % len(langs)]
                n += 1
                if prov == 'database':
                    user = g.r.choice(['app', 'svc_orders', 'analytics', 'billing'])
                    host = g.r.choice(['db.internal', 'prod-db.example.net', '10.2.3.4', 'cluster0.abcde.mongodb.net'])
                    url = '%s://%s:%s@%s:%d/app' % (var, user, key, host, g.r.randint(1000, 9999))
                    line = g.r.choice(['DATABASE_URL="%s"' % url, 'engine = create_engine("%s")' % url, '  url: %s' % url])
                elif prov == 'AWS' and kname == 'secret':
                    line = g.r.choice(['aws_secret_access_key = %s' % key, 'AWS_SECRET_ACCESS_KEY="%s"' % key,
                                       '  "SecretAccessKey": "%s",' % key])
                elif prov == 'Azure' and kname == 'storage':
                    line = g.r.choice(['AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net"'
                                       % (g.s(10, string.ascii_lowercase), key), 'AZURE_STORAGE_KEY=%s' % key])
                else:
                    line = g.r.choice(contexts(g, var, key, lang))
                fl = FILLER[lang]
                body = fl[:len(fl) // 2] + [line] + fl[len(fl) // 2:]
                text = '\n'.join(body) + '\n'
                ext = EXT[lang]
                path = 'src/%s/%s_%s_%d.%s' % (lang, prov.lower().replace(' ', ''), kname, rep, ext) if ext != 'Dockerfile' else \
                    'docker/%s_%s_%d/Dockerfile' % (prov.lower().replace(' ', ''), kname, rep)
                if ext == 'env':
                    path = 'env/%s_%s_%d/.env.production' % (prov.lower().replace(' ', ''), kname, rep)
                crlf = rep == 2 and lang in ('cs', 'props', 'env', 'py')
                c.write(path, text, crlf)
                c.label(path, text, key, prov, kname)

    # 2. Special containers: notebooks, MCP configs, long lines, keys files, CI, curl.
    def pos(path, text, key, prov, kind, crlf=False):
        c.write(path, text, crlf); c.label(path, text, key, prov, kind)
    k = K['OpenAI'][1][1]()
    nb = {'cells': [{'cell_type': 'code', 'metadata': {}, 'source': ['import openai\n', 'openai.api_key = "%s"\n' % k, 'resp = openai.chat.completions.create(model="gpt-4o")\n'],
                     'outputs': [], 'execution_count': 1}], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    pos('notebooks/explore.ipynb', json.dumps(nb, indent=1), k, 'OpenAI', 'notebook')
    k = K['Anthropic'][0][1]()
    nb['cells'][0]['source'] = ['import anthropic\n', 'client = anthropic.Anthropic(api_key="%s")\n' % k]
    pos('notebooks/claude.ipynb', json.dumps(nb, indent=1), k, 'Anthropic', 'notebook')
    k = K['HuggingFace'][0][1]()
    nb['cells'][0]['source'] = ['from huggingface_hub import login\n', 'login(token="%s")\n' % k]
    pos('notebooks/hf.ipynb', json.dumps(nb, indent=1), k, 'HuggingFace', 'notebook')
    gh, br = K['GitHub'][0][1](), K['Slack'][0][1]()
    mcp = {'mcpServers': {'github': {'command': 'npx', 'args': ['-y', '@modelcontextprotocol/server-github'], 'env': {'GITHUB_PERSONAL_ACCESS_TOKEN': gh}},
                          'slack': {'command': 'npx', 'args': ['-y', '@modelcontextprotocol/server-slack'], 'env': {'SLACK_BOT_TOKEN': br, 'SLACK_TEAM_ID': 'T01234567'}}}}
    t = json.dumps(mcp, indent=2)
    pos('.cursor/mcp.json', t, gh, 'GitHub', 'mcp'); c.label('.cursor/mcp.json', t, br, 'Slack', 'mcp')
    bk, pg = K['Groq'][0][1](), K['database'][0][1]()
    mcp = {'mcpServers': {'postgres': {'command': 'npx', 'args': ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://reporter:%s@db.example.net/app' % pg]},
                          'brave': {'command': 'npx', 'args': ['-y', 'server-groq'], 'env': {'GROQ_API_KEY': bk}}}}
    t = json.dumps(mcp, indent=2)
    pos('claude_desktop_config.json', t, pg, 'database', 'mcp'); c.label('claude_desktop_config.json', t, bk, 'Groq', 'mcp')
    k = K['Stripe'][0][1]()
    minified = 'var a=' + ','.join('"%s"' % g.s(12) for _ in range(400)) + ';Stripe("%s");' % k + 'function f(){return 1}' * 200
    pos('public/app.min.js', minified, k, 'Stripe', 'long-line')
    k = g.pem('RSA PRIVATE KEY', 25)
    pos('deploy/id_rsa', k, '-----BEGIN', 'private keys', 'rsa')
    k = g.pem('OPENSSH PRIVATE KEY', 6)
    pos('keys/id_ed25519', k, '-----BEGIN', 'private keys', 'openssh')
    k = g.pem('EC PRIVATE KEY', 3)
    pos('certs/server.key', k, '-----BEGIN', 'private keys', 'ec', crlf=True)
    k = g.pem('PRIVATE KEY', 20)
    sa = {'type': 'service_account', 'project_id': 'demo-%s' % g.s(6, string.ascii_lowercase), 'private_key_id': g.s(40, H),
          'private_key': k, 'client_email': 'ci@demo.iam.gserviceaccount.com', 'client_id': g.s(21, string.digits)}
    t = json.dumps(sa, indent=2)
    pos('gcp/service-account.json', t, sa['private_key_id'], 'Google', 'service-account')
    c.label('gcp/service-account.json', t, '-----BEGIN', 'private keys', 'pkcs8-json')
    k = g.pem('PGP PRIVATE KEY BLOCK', 10).replace('-----\n', '-----\nVersion: GnuPG v2\n\n', 1)
    pos('keys/signing.asc', k, '-----BEGIN', 'private keys', 'pgp')
    ppk = 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n%s\n%s\nPrivate-Lines: 1\n%s\nPrivate-MAC: %s\n' % (
        g.s(64, B64), g.s(16, B64), g.s(44, B64), g.s(64, H))
    pos('keys/ci.ppk', ppk, 'Private-Lines', 'private keys', 'putty')
    user, pw = 'deploy', g.s(20)
    b = base64.b64encode(('%s:%s' % (user, pw)).encode()).decode()
    t = '#!/bin/sh\ncurl -s -H "Authorization: Basic %s" https://registry.example.net/v2/_catalog\n' % b
    pos('scripts/list.sh', t, b, 'generic', 'basic-auth')
    tok = g.s(40)
    t = '#!/bin/sh\ncurl -X POST \\\n  -H "Authorization: Bearer %s" \\\n  https://api.example.net/v1/jobs\n' % tok
    pos('scripts/trigger.sh', t, tok, 'generic', 'bearer')
    pw = g.s(16)
    t = 'deploy:\n  script:\n    - curl -u admin:%s https://jenkins.example.net/job/build/build\n' % pw
    pos('.gitlab-ci.yml', t, pw, 'generic', 'curl-user')
    auth = base64.b64encode(('ci-bot:' + g.s(24)).encode()).decode()
    t = json.dumps({'auths': {'https://index.docker.io/v1/': {'auth': auth}}}, indent=2)
    pos('.docker/config.json', t, auth, 'Docker', 'config-auth')
    tok = g.uuid()
    pos('.npmrc', 'registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=%s\n' % tok, tok, 'npm', 'npmrc')
    tok = g.s(36, H)
    pos('home/.netrc', 'machine api.heroku.com login me@example.com password %s\n' % tok, tok, 'generic', 'netrc')
    k = g.jwt({'sub': g.s(12, string.digits), 'scope': 'admin', 'exp': 1900000000}, 256, 'RS256')
    pos('tests/http/admin.http', 'GET https://api.example.net/admin\nAuthorization: Bearer %s\n' % k, k, 'generic', 'jwt')
    k = 'sk-proj-' + g.s(74, URLS) + 'T3BlbkFJ' + g.s(74, URLS)
    pos('web/.env.local', 'NEXT_PUBLIC_OPENAI_API_KEY=%s\nNEXT_PUBLIC_SITE_URL=https://example.com\n' % k, k, 'client-side', 'next-public')
    k = 'sk_live_' + g.s(99)
    pos('web/.env', 'VITE_STRIPE_SECRET_KEY=%s\n' % k, k, 'client-side', 'vite')
    k = 'sk-ant-api03-' + g.s(93, URLS) + 'AA'
    t = "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic({\n  apiKey: '%s',\n  dangerouslyAllowBrowser: true,\n});\n" % k
    pos('web/src/chat.ts', t, k, 'client-side', 'dangerously-allow-browser')
    pw = g.s(14, A + '!#')
    t = '<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>deployer</username>\n      <password>%s</password>\n    </server>\n  </servers>\n</settings>\n' % pw
    pos('.m2/settings.xml', t, pw, 'generic', 'maven')
    pw = g.s(18)
    t = 'Server=tcp:sql-prod.database.windows.net,1433;Initial Catalog=app;User ID=app;Password=%s;Encrypt=True;\n' % pw
    pos('config/connection.txt', t, pw, 'database', 'ado-net')
    key = g.s(86, B64) + '=='
    t = '{\n  "ConnectionStrings": {\n    "Storage": "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net"\n  }\n}\n' % (g.s(8, string.ascii_lowercase), key)
    pos('appsettings.Production.json', t, key, 'Azure', 'appsettings', crlf=True)
    kd = base64.b64encode(g.pem('RSA PRIVATE KEY', 4).encode()).decode()
    t = 'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n' % (
        base64.b64encode(('-----BEGIN CERTIFICATE-----\n' + g.s(64, B64) + '\n-----END CERTIFICATE-----\n').encode()).decode(), kd)
    pos('kube/config', t, kd[:30], 'private keys', 'kubeconfig')
    k = K['AWS'][0][1](); s = K['AWS'][2][1]()
    t = '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = eu-west-1\n' % (k, s)
    pos('home/.aws/credentials', t, k, 'AWS', 'credentials-id'); c.label('home/.aws/credentials', t, s, 'AWS', 'credentials-secret')
    k = 'ghp_' + ''  # markdown doc with a real token pasted in
    k = g.b62crc('ghp_')
    t = '# Setup\n\nClone with:\n\n```\ngit clone https://x-access-token:%s@github.com/acme/app.git\n```\n' % k
    pos('docs/SETUP.md', t, k, 'GitHub', 'markdown-url')

    # 2b. The same keys in less common places: other shells, build files,
    # URLs, comments, tables, logs, orchestration files.
    places = [
        ('scripts/env.ps1', '$env:{V} = "{K}"\nWrite-Host "ok"\n'),
        ('scripts/env.bat', '@echo off\nset {V}={K}\n'),
        ('Makefile.inc', 'export {V} := {K}\nall:\n\t./build.sh\n'),
        ('helm/values.yaml', 'app:\n  secrets:\n    - name: {V}\n      value: "{K}"\n'),
        ('ansible/group_vars/all.yml', '---\n{v}: "{K}"\n'),
        ('compose/worker.yml', 'services:\n  worker:\n    environment:\n      - {V}={K}\n'),
        ('k8s/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  {V}: "{K}"\n'),
        ('.github/workflows/deploy.yml', 'jobs:\n  deploy:\n    env:\n      {V}: {K}\n'),
        ('terraform/prod.tfvars', '{v} = "{K}"\n'),
        ('src/client.py', '# TODO remove before release\n# {v} = "{K}"\nimport requests\n'),
        ('src/fetch.js', 'fetch(`https://api.example.net/v2/items?limit=10&api_key={K}&page=2`)\n'),
        ('docs/CONFIG.md', '| name | value |\n|---|---|\n| `{V}` | `{K}` |\n'),
        ('logs/app.log', '2024-05-01T10:00:00Z DEBUG loaded config {v}={K} region=eu-west-1\n'),
        ('src/main.rs', 'fn main() {{\n    let client = Client::new("{K}");\n}}\n'),
        ('src/App.kt', 'val {c}: String = "{K}"\n'),
        ('src/config.swift', 'let {c} = "{K}"\n'),
        ('src/settings.ini', '[api]\n{v} = {K}\ntimeout = 30\n'),
        ('src/app.html', '<script>\n  window.CONFIG = {{ {c}: "{K}" }};\n</script>\n'),
        ('src/Config.scala', 'val {c} = "{K}"\n'),
        ('src/app.lua', 'local {v} = "{K}"\n'),
    ]
    pick = [('OpenAI', 1), ('Anthropic', 0), ('GitHub', 0), ('Stripe', 0), ('Slack', 0), ('Groq', 0), ('SendGrid', 0), ('AWS', 0),
            ('Google', 0), ('HuggingFace', 0), ('GitLab', 0), ('Twilio', 1), ('Datadog', 0), ('Mistral', 0), ('npm', 0), ('Shopify', 0),
            ('DigitalOcean', 0), ('Linear', 0), ('Notion', 0), ('Perplexity', 0)]
    for i, (path, tmpl) in enumerate(places):
        prov, idx = pick[i % len(pick)]
        kname, gen, var = K[prov][idx]
        key = gen()
        camel = ''.join(w.capitalize() for w in var.lower().split('_'))
        camel = camel[0].lower() + camel[1:]
        text = tmpl.format(V=var, v=var.lower(), c=camel, K=key)
        d, b = os.path.split(path)
        path = os.path.join(d, '%02d_%s' % (i, b)) if b not in ('Makefile.inc',) else path
        pos(path, text, key, prov, 'place-' + kname)

    # 3. Decoys: each line is something a careful scanner leaves alone.
    D = []
    def decoy(path, text, needle, why):
        D.append((path, text, needle, why))
    ex = 'AKIA' + 'IOSFODNN7' + 'EXAMPLE'
    decoy('docs/aws.md', 'Example credentials:\n\n    aws_access_key_id = %s\n' % ex, ex, 'aws doc id')
    exs = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY'
    decoy('docs/aws-secret.md', '```ini\naws_secret_access_key = %s\n```\n' % exs, exs, 'aws doc secret')
    azk = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq' + '/K1SZFPTOtr/KBHBeksoGMGw=='
    decoy('tests/azurite.env', 'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=%s;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1\n' % azk, azk, 'azurite')
    jwtio = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' + 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' + 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
    decoy('tests/jwt_test.py', 'SAMPLE = "%s"\n' % jwtio, jwtio, 'jwt.io')
    for i in range(4):
        st = 'sk_' + 'test_' + g.s(24 + 8 * i)
        decoy('tests/stripe_%d.py' % i, 'stripe.api_key = "%s"\n' % st, st, 'stripe test key')
    pk = 'pk_' + 'live_' + g.s(99)
    decoy('web/.env.production', 'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=%s\n' % pk, pk, 'stripe publishable')
    anon = g.jwt({'iss': 'supabase', 'ref': g.s(20, string.ascii_lowercase), 'role': 'anon', 'iat': 1700000000})
    decoy('web/.env.local.example', 'NEXT_PUBLIC_SUPABASE_URL=https://abc.supabase.co\nNEXT_PUBLIC_SUPABASE_ANON_KEY=%s\n' % anon, anon, 'supabase anon')
    for i, ph in enumerate(['sk-your-api-key-here', '<YOUR_OPENAI_API_KEY>', '${OPENAI_API_KEY}', 'sk-...', 'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
                            '{{ openai_api_key }}', 'os.environ["OPENAI_API_KEY"]', 'process.env.OPENAI_API_KEY', 'YOUR_API_KEY', 'changeme',
                            '%OPENAI_API_KEY%', 'sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'REPLACE_ME', '********', '<redacted>']):
        decoy('examples/placeholder_%02d.py' % i, 'OPENAI_API_KEY = "%s"\nclient = OpenAI(api_key=OPENAI_API_KEY)\n' % ph if i % 2 else 'api_key: %s\n' % ph, ph, 'placeholder')
    for i, pw in enumerate(['postgres', 'password', 'example', 'changeme', 'secret', 'root']):
        decoy('compose/docker-compose.%d.yml' % i, 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: %s\n' % pw, pw, 'default password')
    decoy('compose/app.env', 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app\n', 'postgres@', 'dev url')
    decoy('compose/app2.env', 'DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app\n', '${DB_PASSWORD}', 'templated url')
    decoy('config/redis.env', 'REDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379/0\n', '${REDIS_PASSWORD}', 'templated url')
    # hashes and identifiers
    for i in range(6):
        sha = g.s(40, H)
        decoy('ci/release_%d.yml' % i, 'release:\n  commit: %s\n  tag: v1.%d.0\n' % (sha, i), sha, 'git sha')
    for i in range(4):
        integ = 'sha512-' + base64.b64encode(bytes(g.r.getrandbits(8) for _ in range(64))).decode()
        decoy('pkgs/lock_%d/package-lock.json' % i, '{\n  "packages": {\n    "node_modules/x%d": {\n      "version": "1.0.%d",\n      "integrity": "%s"\n    }\n  }\n}\n' % (i, i, integ), integ, 'integrity')
    gosum = 'h1:' + base64.b64encode(bytes(g.r.getrandbits(8) for _ in range(32))).decode()
    decoy('go.sum', 'github.com/pkg/errors v0.9.1 %s\n' % gosum, gosum, 'go.sum')
    for i in range(4):
        u = g.uuid()
        decoy('src/ids_%d.py' % i, 'REQUEST_ID = "%s"\ntenant_id = "%s"\n' % (u, g.uuid()), u, 'uuid')
    for i in range(3):
        h = g.s(64, H)
        decoy('src/checksums_%d.py' % i, 'EXPECTED_SHA256 = "%s"\n' % h, h, 'sha256')
    md5 = g.s(32, H)
    decoy('web/assets.json', '{"main.js": {"hash": "%s"}}\n' % md5, md5, 'asset hash')
    png = base64.b64encode(bytes(g.r.getrandbits(8) for _ in range(600))).decode()
    decoy('web/logo.css', '.logo { background: url("data:image/png;base64,%s"); }\n' % png, png[:20], 'data uri')
    sshpub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + g.s(43, B64) + ' ci@example'
    decoy('deploy/authorized_keys', sshpub + '\n', 'ssh-ed25519', 'ssh public key')
    cert = '-----BEGIN CERTIFICATE-----\n' + '\n'.join(g.s(64, B64) for _ in range(10)) + '\n-----END CERTIFICATE-----\n'
    decoy('certs/ca.pem', cert, '-----BEGIN', 'certificate')
    pub = '-----BEGIN PUBLIC KEY-----\n' + '\n'.join(g.s(64, B64) for _ in range(6)) + '\n-----END PUBLIC KEY-----\n'
    decoy('certs/jwt_public.pem', pub, '-----BEGIN', 'public key')
    pubb = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + g.s(300, B64)
    decoy('config/auth.yaml', 'jwt:\n  public_key: "%s"\n' % pubb, pubb[:20], 'public key value')
    # words, identifiers, i18n, names that contain key/token/secret
    for i, (n_, v) in enumerate([('primary_key', 'customer_id'), ('cache_key', 'user:profile:v2'), ('token_type', 'Bearer'),
                                 ('api_key_header', 'X-API-Key'), ('password_field', 'password_confirmation'),
                                 ('secret_name', 'prod/payments/stripe'), ('token_url', 'https://oauth2.googleapis.com/token'),
                                 ('keyboard_layout', 'en-US-international'), ('sort_key', 'created_at_desc'),
                                 ('auth_provider', 'github-enterprise'), ('SECRET_KEY_BASE', 'ENV.fetch("SECRET_KEY_BASE")'),
                                 ('secretsmanager_arn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db'),
                                 ('token_endpoint_auth_method', 'client_secret_basic'), ('api_key_env_var', 'OPENAI_API_KEY')]):
        decoy('src/settings_%02d.py' % i, '%s = "%s"\n' % (n_, v), v, 'identifier')
    decoy('locales/de.json', '{\n  "password": "Passwort",\n  "token_expired": "Ihre Sitzung ist abgelaufen",\n  "secret_question": "Sicherheitsfrage"\n}\n', 'Passwort', 'i18n')
    decoy('web/index.html', '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">\n', '{{ csrf_token() }}', 'template')
    decoy('.github/workflows/ci.yml', 'env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n', '${{ secrets.GITHUB_TOKEN }}', 'gha secret ref')
    decoy('k8s/deploy.yaml', 'env:\n- name: API_KEY\n  valueFrom:\n    secretKeyRef:\n      name: api\n      key: api-key\n', 'secretKeyRef', 'k8s ref')
    decoy('terraform/vars.tf', 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n', 'sensitive', 'tf variable')
    decoy('src/enc.yaml', 'password: ENC[AES256_GCM,data:%s,iv:%s,tag:%s,type:str]\n' % (g.s(24, B64), g.s(22, B64), g.s(22, B64)), 'ENC[', 'sops')
    # wrong-checksum and near-miss look-alikes
    for i in range(4):
        bad = 'ghp_' + g.s(36)
        decoy('src/fixtures_%d.go' % i, 'var fakeTok = "%s"\n' % bad, bad, 'github wrong checksum')
    badnpm = 'npm_' + g.s(36)
    decoy('src/npm_fixture.js', 'const t = "%s";\n' % badnpm, badnpm, 'npm wrong checksum')
    decoy('src/short.py', 'KEY = "sk-proj-abc123"\n', 'sk-proj-abc123', 'too short')
    decoy('src/ga.js', "gtag('config', 'G-%s');\nconst ua = 'UA-%s-1';\n" % (g.s(10, U), g.s(8, string.digits)), 'G-', 'analytics id')
    decoy('src/dsn.js', "Sentry.init({ dsn: 'https://%s@o%s.ingest.sentry.io/%s' });\n" % (g.s(32, H), g.s(6, string.digits), g.s(7, string.digits)), 'dsn', 'sentry dsn')
    decoy('web/firebase-config.js', "const firebaseConfig = {\n  authDomain: 'demo.firebaseapp.com',\n  projectId: 'demo-app',\n  appId: '1:%s:web:%s',\n  measurementId: 'G-%s'\n};\n" % (g.s(12, string.digits), g.s(22, H), g.s(10, U)), 'appId', 'firebase app id')
    decoy('src/webpack.js', 'output: { filename: "[name].%s.js" }\n// chunk main.%s.js\n' % (g.s(20, H), g.s(20, H)), 'chunk', 'chunk hash')
    decoy('src/regex.py', 'TOKEN_RE = re.compile(r"ghp_[A-Za-z0-9]{36}")\n', 'ghp_[', 'regex')
    decoy('docs/keys.md', 'Keys look like `sk-proj-...` or `sk-ant-api03-...`; never commit them.\n', 'sk-proj-...', 'doc prose')
    decoy('src/abc.py', 'ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"\nsecret_charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"\n', 'abcdefghij', 'sequential')
    decoy('src/test_auth.py', 'def test_login():\n    assert login("alice", password="test-password-123")\n', 'test-password', 'test password')
    decoy('.env.example', 'OPENAI_API_KEY=\nANTHROPIC_API_KEY=your-anthropic-key\nDATABASE_URL=postgres://user:pass@localhost/db\n', 'your-anthropic-key', 'env example')
    decoy('src/mailgun_doc.py', 'MAILGUN_KEY = "key-' + '3ax6xnjp29jd6fds4gc373sgvjxteol0"\n', 'key-3ax6', 'mailgun doc key')
    slackdoc = 'https://hooks.slack.com/services/T00000000/B00000000/' + 'X' * 24
    decoy('docs/slack.md', 'Set `SLACK_WEBHOOK_URL` to e.g. %s\n' % slackdoc, slackdoc, 'slack doc webhook')
    decoy('web/map.js', "mapboxgl.accessToken = 'pk.eyJ1Ijoi%s%s.%s';\n" % (g.s(10, string.ascii_lowercase), g.s(40, URLS), g.s(22, URLS)), 'pk.eyJ', 'mapbox public')
    decoy('web/search.js', "const search = algoliasearch('%s', '%s'); // search-only key\n" % (g.s(10, U), g.s(32, H)), 'algoliasearch', 'algolia search key')
    decoy('web/.env.production.local', 'NEXT_PUBLIC_ALGOLIA_SEARCH_KEY=%s\nNEXT_PUBLIC_RECAPTCHA_SITE_KEY=6L%s\n' % (g.s(32, H), g.s(38, URLS)), 'ALGOLIA_SEARCH', 'public search key')
    decoy('web/csp.html', '<script nonce="%s" src="/app.js" integrity="sha384-%s" crossorigin="anonymous"></script>\n' % (g.s(22, B64), g.s(64, B64)), 'nonce', 'nonce and sri')
    decoy('k8s/image.yaml', 'image: ghcr.io/acme/app@sha256:%s\n' % g.s(64, H), 'sha256:', 'image digest')
    decoy('terraform/.terraform.lock.hcl', 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.31.0"\n  hashes = [\n    "h1:%s=",\n    "zh:%s",\n  ]\n}\n' % (g.s(43, B64), g.s(64, H)), 'zh:', 'tf lock')
    decoy('yarn.lock', 'lodash@^4.17.21:\n  version "4.17.21"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#%s"\n  integrity sha512-%s==\n' % (g.s(40, H), g.s(86, B64)), 'integrity', 'yarn lock')
    decoy('src/pw_policy.py', 'password_regex = "^(?=.*[A-Z])(?=.*[0-9]).{12,}$"\nPASSWORD_MIN_LENGTH = 12\n', 'password_regex', 'password policy')
    decoy('src/oauth.py', 'token_url = "https://oauth2.googleapis.com/token"\ngrant_type = "client_credentials"\nauth_method = "client_secret_post"\n', 'token_url', 'oauth config')
    decoy('tests/fixtures/users.json', '[{"name": "alice", "password": "Password123!"}, {"name": "bob", "password": "hunter2"}]\n', 'Password123!', 'fixture password')
    decoy('src/keys_docs.py', '"""Call with api_key="sk-..." or set OPENAI_API_KEY."""\n', 'sk-...', 'docstring')
    decoy('src/telegram_doc.md', 'Each bot has a token like `110201543:' + 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`.\n', '110201543', 'telegram doc token')
    decoy('src/sample_jwt.py', 'HEADER = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"  # {"alg":"none"}\nUNSIGNED = HEADER + ".eyJzdWIiOiJ1c2VyIn0."\n', 'UNSIGNED', 'unsigned jwt')
    decoy('tests/fixtures/users.yml', 'admin:\n  password: "$2b$12$%s"\n' % g.s(53, A + './'), '$2b$', 'bcrypt hash')
    decoy('k8s/secret-template.yaml', 'apiVersion: v1\nkind: Secret\ndata:\n  password: %s\n' % base64.b64encode(b'changeme').decode(), 'password:', 'k8s base64 placeholder')
    decoy('src/payments.py', 'idempotency_key = "%s"\n' % g.uuid(), 'idempotency_key', 'idempotency uuid')
    decoy('config/app.properties', 'db.password=ENC(%s)\n' % g.s(44, B64), 'ENC(', 'jasypt')
    decoy('config/transit.yaml', 'api_token: "vault:v1:%s"\n' % g.s(60, B64), 'vault:v1:', 'vault transit')
    decoy('config/kms.env', 'DB_PASSWORD=AQICAHh%s\n' % g.s(180, B64), 'AQICAH', 'kms ciphertext')
    decoy('src/jwt_fixture.js', "const token = '%s';\n" % g.jwt({'sub': '1234567890', 'name': 'Jane Roe', 'admin': True}), 'token', 'jwt.io variant')
    pw = g.s(12, A + '#!')
    decoy('tests/integration/test_login.py', 'def test_login(client):\n    resp = client.post("/login", json={"user": "qa", "password": "%s"})\n' % pw, pw, 'test password')
    decoy('docs/deploy.md', '```\nexport DB_PASSWORD=%s\n```\n' % g.s(16), 'DB_PASSWORD', 'doc password')
    for path, text, needle, why in D:
        c.write(path, text)
        c.label(path, text, needle, why, 'decoy', positive=False)
    return c.labels

if __name__ == '__main__':
    root = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    labels = build(root, seed)
    with open(os.path.join(os.path.dirname(os.path.abspath(root)), 'labels.json'), 'w') as f:
        json.dump(labels, f, indent=1)
    print('%d positives, %d decoys' % (sum(l['positive'] for l in labels), sum(not l['positive'] for l in labels)), file=sys.stderr)
