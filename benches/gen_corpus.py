#!/usr/bin/env python3
"""Generate the realistic HTML mail corpus in benches/corpus/ (deterministic: fixed seed).

Kinds, in the proportions a CRM inbox sees them:
  newsletter  Mailchimp/Campaign-Monitor style: nested layout tables (role=presentation,
              width=600), two-column blocks, buttons, images, a footer with unsubscribe links
  gmail       a reply chain as Gmail sends it: gmail_quote / gmail_attr, nested blockquotes
  outlook     a reply chain as Outlook sends it: MsoNormal paragraphs, conditional comments,
              <o:p>, "From: / Sent: / To:" header blocks under an <hr>, inline styles
  letter      a long letter: headings, paragraphs, lists, a <pre> block, links
  receipt     an order confirmation: a real data table (<th>, prices) inside a layout table

Usage: python3 benches/gen_corpus.py [count]   (default 200; writes benches/corpus/NNN-kind.html)
"""
import os
import random
import sys

R = random.Random(13)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

WORDS = ("the quarterly review pipeline client meeting proposal contract renewal budget forecast "
         "onboarding schedule follow up invoice campaign launch feedback design draft approval "
         "timeline deliverable stakeholder update agenda summary notes action items priority "
         "customer account portfolio revenue growth market strategy analysis report deadline "
         "next week tomorrow morning afternoon thanks please let me know if you have questions "
         "we are happy to confirm that our team will attach the latest version for your review").split()
NAMES = ["Alice Martin", "Bob Chen", "Carla Romero", "Deepak Rao", "Emma Schulz", "Farid Haddad",
         "Grace O'Neill", "Hiro Tanaka", "Ingrid Berg", "José Álvarez", "Kemi Adeyemi", "Łukasz Nowak"]
DOMAINS = ["acme.example", "globex.example", "initech.example", "umbrella.example", "hooli.example"]
PRODUCTS = ["Widget Pro", "Gadget Mini", "Sprocket 3000", "Flux Capacitor", "Thingamajig XL",
            "Cable (2 m)", "Adapter USB-C", "Warranty, 2 years", "Gift wrap", "Desk lamp"]


def sentence(n=None):
    n = n or R.randint(6, 22)
    w = [R.choice(WORDS) for _ in range(n)]
    w[0] = w[0].capitalize()
    return " ".join(w) + R.choice([".", ".", ".", "?", "!"])


def para(k=None):
    return " ".join(sentence() for _ in range(k or R.randint(2, 6)))


def url(path="p"):
    return "https://%s/%s/%d?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=c%d" % (
        R.choice(DOMAINS), path, R.randint(1, 99999), R.randint(1, 999))


def person():
    n = R.choice(NAMES)
    return n, "%s@%s" % (n.split()[0].lower().replace("ł", "l").replace("é", "e"), R.choice(DOMAINS))


def date():
    return "%s, %d %s 2026 at %d:%02d" % (R.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]), R.randint(1, 28),
                                         R.choice(["Oct", "Nov", "Dec"]), R.randint(8, 18), R.randint(0, 59))


HEAD = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1.0"><title>%s</title><style type="text/css">%s</style></head>')
CSS = "".join(
    "@media only screen and (max-width:480px){.col-%d{width:100%% !important;display:block !important}}\n"
    "table.t%d td{padding:0;mso-line-height-rule:exactly;font-family:Helvetica,Arial,sans-serif}\n" % (i, i)
    for i in range(160))

TD = 'style="padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#333333;"'


def button(text):
    return ('<table role="presentation" border="0" cellpadding="0" cellspacing="0" align="center"><tr>'
            '<td align="center" bgcolor="#0b6efd" style="border-radius:4px;padding:10px 18px;">'
            '<a href="%s" target="_blank" style="color:#ffffff;text-decoration:none;font-weight:bold;">%s</a>'
            '</td></tr></table>' % (url("cta"), text))


def article(img=True):
    s = '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>'
    if img:
        s += ('<td width="180" valign="top" class="col-1" style="padding:0 12px 0 0;"><a href="%s">'
              '<img src="https://cdn.%s/img/%d.jpg" width="180" height="120" alt="%s" style="display:block;border:0;">'
              '</a></td>' % (url("a"), R.choice(DOMAINS), R.randint(1, 9999), sentence(4)[:-1]))
    s += ('<td valign="top" %s><h2 style="margin:0 0 8px 0;font-size:20px;">%s</h2><p style="margin:0 0 12px 0;">%s</p>'
          '<a href="%s" style="color:#0b6efd;">Read more &rarr;</a></td></tr></table>' % (TD, sentence(6)[:-1], para(3), url("read")))
    return s


def two_col():
    cols = []
    for _ in range(2):
        cols.append('<td width="50%%" valign="top" class="col-2" %s><h3 style="margin:0;">%s</h3><p>%s</p>%s</td>'
                    % (TD, sentence(4)[:-1], para(2), button(R.choice(["Shop now", "Learn more", "Register"]))))
    return ('<table role="presentation" width="100%%" cellpadding="0" cellspacing="0" border="0"><tr>%s</tr></table>'
            % "".join(cols))


def newsletter(i):
    title = "%s — %s" % (R.choice(["Weekly digest", "Product news", "Your November update", "Event invite"]), sentence(5)[:-1])
    body = ('<body style="margin:0;padding:0;background:#f4f4f4;"><div style="display:none;max-height:0;overflow:hidden;">%s</div>'
            '<center><table role="presentation" width="100%%" bgcolor="#f4f4f4" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">'
            '<!--[if mso]><table role="presentation" width="600"><tr><td><![endif]-->'
            '<table class="t%d" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;">'
            % (sentence(8), i % 40))
    body += ('<tr><td align="center" style="padding:20px;"><a href="%s"><img src="https://cdn.%s/logo.png" alt="%s" width="140"></a>'
             '</td></tr>' % (url("home"), R.choice(DOMAINS), R.choice(["Acme", "Globex", "Initech"])))
    body += '<tr><td %s><h1 style="margin:0;font-size:28px;">%s</h1><p>%s</p>%s</td></tr>' % (TD, title, para(4), button("View in browser"))
    for _ in range(R.randint(4, 9)):
        body += '<tr><td>%s</td></tr>' % (two_col() if R.random() < 0.4 else article(R.random() < 0.7))
    body += ('<tr><td %s style="font-size:12px;color:#888888;">You are receiving this email because you signed up at '
             '<a href="%s">our website</a>.<br><a href="%s">Unsubscribe</a> | <a href="%s">Update preferences</a> | '
             '<a href="%s">View online</a><br>Acme Ltd, 1 Example Street, London EC1A 1AA</td></tr>'
             % (TD, url("site"), url("unsub"), url("prefs"), url("web")))
    body += '</table><!--[if mso]></td></tr></table><![endif]--></td></tr></table></center></body></html>'
    return HEAD % (title, CSS) + body


def gmail_msg(depth, maxdepth):
    who, mail = person()
    s = '<div dir="ltr">' + "".join("<div>%s</div><div><br></div>" % para() for _ in range(R.randint(1, 4)))
    s += '<div>Best,</div><div>%s</div></div>' % who.split()[0]
    if depth < maxdepth:
        s += ('<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On %s %s &lt;<a href="mailto:%s">%s</a>&gt; wrote:<br></div>'
              '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">%s</blockquote></div>'
              % (date(), who, mail, mail, gmail_msg(depth + 1, maxdepth)))
    return s


def gmail(i):
    return '<div dir="ltr">' + gmail_msg(0, R.randint(2, 6)) + '</div>'


def outlook_part(depth, maxdepth):
    s = "".join('<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif;color:#1F497D">%s<o:p></o:p></span></p>'
                '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>' % para() for _ in range(R.randint(1, 4)))
    who, mail = person()
    s += '<p class="MsoNormal">Kind regards,<br>%s<br><span style="color:gray">%s | +44 20 7946 %04d</span><o:p></o:p></p>' % (who, mail, R.randint(0, 9999))
    if depth < maxdepth:
        w2, m2 = person()
        s += ('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">'
              '<b><span lang="EN-US" style="font-size:11.0pt">From:</span></b><span lang="EN-US" style="font-size:11.0pt"> %s &lt;%s&gt; <br>'
              '<b>Sent:</b> %s<br><b>To:</b> %s<br><b>Subject:</b> RE: %s<o:p></o:p></span></p></div><p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
              % (w2, m2, date(), who, sentence(5)[:-1]))
        s += outlook_part(depth + 1, maxdepth)
    return s


def outlook(i):
    head = ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml">'
            '<head><meta name="Generator" content="Microsoft Word 15 (filtered medium)"><style><!--\n'
            + "".join("@font-face {font-family:\"Font %d\"; panose-1:2 15 5 2 2 2 4 3 2 4;}\n" % k for k in range(120))
            + 'p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}\n'
            '--></style><!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]--></head>'
            '<body lang="EN-GB" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1">')
    return head + outlook_part(0, R.randint(2, 5)) + '</div></body></html>'


def letter(i):
    s = '<html><body><div style="font-family:Georgia,serif;max-width:700px">'
    s += '<p>Dear %s,</p>' % R.choice(NAMES)
    for sec in range(R.randint(4, 9)):
        s += '<h2>%d. %s</h2>' % (sec + 1, sentence(4)[:-1])
        for _ in range(R.randint(2, 5)):
            s += '<p>%s <a href="%s">%s</a> %s</p>' % (para(), url("doc"), sentence(3)[:-1], para(2))
        if R.random() < 0.5:
            s += '<ul>' + "".join('<li>%s</li>' % sentence() for _ in range(R.randint(3, 6))) + '</ul>'
        if R.random() < 0.3:
            s += '<ol>' + "".join('<li><b>%s</b> %s</li>' % (sentence(2)[:-1], sentence()) for _ in range(R.randint(2, 5))) + '</ol>'
        if R.random() < 0.2:
            s += '<pre>  ID    Owner      Due\n  %d  %-10s %d Dec</pre>' % (R.randint(1000, 9999), R.choice(NAMES).split()[0], R.randint(1, 28))
    s += '<p>Yours sincerely,<br>%s</p></div></body></html>' % R.choice(NAMES)
    return s


def receipt(i):
    rows, total = "", 0.0
    for _ in range(R.randint(2, 8)):
        q, p = R.randint(1, 4), R.randint(199, 19999) / 100
        total += q * p
        rows += ('<tr><td style="padding:6px;border-bottom:1px solid #eee">%s</td><td align="right" style="padding:6px">%d</td>'
                 '<td align="right" style="padding:6px">&pound;%.2f</td><td align="right" style="padding:6px">&pound;%.2f</td></tr>'
                 % (R.choice(PRODUCTS), q, p, q * p))
    data = ('<table class="items" width="100%%" cellpadding="0" cellspacing="0" style="border-collapse:collapse">'
            '<thead><tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Price</th><th align="right">Total</th></tr></thead>'
            '<tbody>%s</tbody><tfoot><tr><th colspan="3" align="right">Order total</th><th align="right">&pound;%.2f</th></tr></tfoot></table>'
            % (rows, total))
    addr = ('<table role="presentation" width="100%%"><tr><td width="50%%" valign="top" %s><b>Shipping to</b><br>%s<br>12 Example Road<br>Leeds LS1 4AP</td>'
            '<td width="50%%" valign="top" %s><b>Payment</b><br>Visa ending %04d<br>Paid %s</td></tr></table>'
            % (TD, R.choice(NAMES), TD, R.randint(0, 9999), date()))
    body = ('<html><head><style>%s</style></head><body><table role="presentation" width="100%%" bgcolor="#f6f6f6"><tr><td align="center">'
            '<table role="presentation" width="600" bgcolor="#ffffff"><tr><td %s><h1>Thanks for your order #%d</h1><p>%s</p></td></tr>'
            '<tr><td %s>%s</td></tr><tr><td>%s</td></tr><tr><td %s>%s<p>Questions? <a href="%s">Contact support</a>.</p></td></tr>'
            '</table></td></tr></table></body></html>'
            % (CSS[:4000], TD, R.randint(100000, 999999), para(2), TD, data, addr, TD, button("Track your parcel"), url("help")))
    return body


KINDS = [("newsletter", newsletter, 60), ("gmail", gmail, 45), ("outlook", outlook, 40),
         ("letter", letter, 25), ("receipt", receipt, 30)]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".html"):
            os.remove(os.path.join(OUT, f))
    weights = [k[2] for k in KINDS]
    total = 0
    for i in range(count):
        name, fn, _ = R.choices(KINDS, weights)[0]
        html = fn(i)
        total += len(html.encode())
        with open(os.path.join(OUT, "%03d-%s.html" % (i, name)), "w", encoding="utf-8") as f:
            f.write(html)
    print("wrote %d mails, %.1f MB, to %s" % (count, total / 1e6, OUT))


if __name__ == "__main__":
    main()
