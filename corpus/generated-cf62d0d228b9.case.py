# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:object-attr", "at:body", "use:store", "exec:live", "via:default-arg", "at:dictcomp", "use:load", "via:global-dotted", "at:nested-def", "fn:decorated", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "noise:attribute", "need:object-attr:bravo.api", "need:default-arg:bravo.api", "need:default-arg:bravo.api.core.core", "need:global-dotted:bravo.core", "need:global-dotted:bravo.core.util", "need:global-dotted:bravo.core.util.impl", "size:large"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["bravo.api", "bravo.api.core.core", "bravo.core", "bravo.core.util", "bravo.core.util.impl"]
#
#   universe:
#     bravo/
#       __init__.py
#       api/
#         __init__.py
#         api/
#           api.py
#           data.py
#           leaf.py
#         core/
#           core.py
#         tools/
#           api.py
#       core/
#         data.py
#         sub.py
#         util/
#           impl.py
#       util/
#         __init__.py
#         sub.py
# --- file: bravo/__init__.py ---
VALUE = 'bravo'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/util/__init__.py ---
VALUE = 'bravo.util'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/util/sub.py ---
VALUE = 'bravo.util.sub'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/util/impl.py ---
VALUE = 'bravo.core.util.impl'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/data.py ---
VALUE = 'bravo.core.data'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/core/sub.py ---
VALUE = 'bravo.core.sub'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/__init__.py ---
from . import tools
from . import core
from . import api
from . import tools as facade

VALUE = 'bravo.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/api/api.py ---
VALUE = 'bravo.api.api.api'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/api/data.py ---
VALUE = 'bravo.api.api.data'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/api/leaf.py ---
VALUE = 'bravo.api.api.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/core/core.py ---
VALUE = 'bravo.api.core.core'
SPARE = 1


def call():
    return VALUE
# --- file: bravo/api/tools/api.py ---
VALUE = 'bravo.api.tools.api'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import bravo
import bravo.api
import bravo.core.util.impl
import types
class Holder0:
    mod = bravo
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(310)})
NOISE = types.SimpleNamespace(impl='impl')


import functools


def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@passthrough
def f(dflt1=bravo):
    pad0 = PADS.p0
    pad1 = PADS.p1
    pad2 = PADS.p2
    pad3 = PADS.p3
    pad4 = PADS.p4
    pad5 = PADS.p5
    pad6 = PADS.p6
    pad7 = PADS.p7
    pad8 = PADS.p8
    pad9 = PADS.p9
    pad10 = PADS.p10
    pad11 = PADS.p11
    pad12 = PADS.p12
    pad13 = PADS.p13
    pad14 = PADS.p14
    pad15 = PADS.p15
    pad16 = PADS.p16
    pad17 = PADS.p17
    pad18 = PADS.p18
    pad19 = PADS.p19
    pad20 = PADS.p20
    pad21 = PADS.p21
    pad22 = PADS.p22
    pad23 = PADS.p23
    pad24 = PADS.p24
    pad25 = PADS.p25
    pad26 = PADS.p26
    pad27 = PADS.p27
    pad28 = PADS.p28
    pad29 = PADS.p29
    pad30 = PADS.p30
    pad31 = PADS.p31
    pad32 = PADS.p32
    pad33 = PADS.p33
    pad34 = PADS.p34
    pad35 = PADS.p35
    pad36 = PADS.p36
    pad37 = PADS.p37
    pad38 = PADS.p38
    pad39 = PADS.p39
    pad40 = PADS.p40
    pad41 = PADS.p41
    pad42 = PADS.p42
    pad43 = PADS.p43
    pad44 = PADS.p44
    pad45 = PADS.p45
    pad46 = PADS.p46
    pad47 = PADS.p47
    pad48 = PADS.p48
    pad49 = PADS.p49
    pad50 = PADS.p50
    pad51 = PADS.p51
    pad52 = PADS.p52
    pad53 = PADS.p53
    pad54 = PADS.p54
    pad55 = PADS.p55
    pad56 = PADS.p56
    pad57 = PADS.p57
    pad58 = PADS.p58
    pad59 = PADS.p59
    pad60 = PADS.p60
    pad61 = PADS.p61
    pad62 = PADS.p62
    pad63 = PADS.p63
    pad64 = PADS.p64
    pad65 = PADS.p65
    pad66 = PADS.p66
    pad67 = PADS.p67
    pad68 = PADS.p68
    pad69 = PADS.p69
    pad70 = PADS.p70
    pad71 = PADS.p71
    pad72 = PADS.p72
    pad73 = PADS.p73
    pad74 = PADS.p74
    pad75 = PADS.p75
    pad76 = PADS.p76
    pad77 = PADS.p77
    pad78 = PADS.p78
    pad79 = PADS.p79
    pad80 = PADS.p80
    pad81 = PADS.p81
    pad82 = PADS.p82
    pad83 = PADS.p83
    pad84 = PADS.p84
    pad85 = PADS.p85
    pad86 = PADS.p86
    pad87 = PADS.p87
    pad88 = PADS.p88
    pad89 = PADS.p89
    pad90 = PADS.p90
    pad91 = PADS.p91
    pad92 = PADS.p92
    pad93 = PADS.p93
    pad94 = PADS.p94
    pad95 = PADS.p95
    pad96 = PADS.p96
    pad97 = PADS.p97
    pad98 = PADS.p98
    pad99 = PADS.p99
    pad100 = PADS.p100
    pad101 = PADS.p101
    pad102 = PADS.p102
    pad103 = PADS.p103
    pad104 = PADS.p104
    pad105 = PADS.p105
    pad106 = PADS.p106
    pad107 = PADS.p107
    pad108 = PADS.p108
    pad109 = PADS.p109
    pad110 = PADS.p110
    pad111 = PADS.p111
    pad112 = PADS.p112
    pad113 = PADS.p113
    pad114 = PADS.p114
    pad115 = PADS.p115
    pad116 = PADS.p116
    pad117 = PADS.p117
    pad118 = PADS.p118
    pad119 = PADS.p119
    pad120 = PADS.p120
    pad121 = PADS.p121
    pad122 = PADS.p122
    pad123 = PADS.p123
    pad124 = PADS.p124
    pad125 = PADS.p125
    pad126 = PADS.p126
    pad127 = PADS.p127
    pad128 = PADS.p128
    pad129 = PADS.p129
    pad130 = PADS.p130
    pad131 = PADS.p131
    pad132 = PADS.p132
    pad133 = PADS.p133
    pad134 = PADS.p134
    pad135 = PADS.p135
    pad136 = PADS.p136
    pad137 = PADS.p137
    pad138 = PADS.p138
    pad139 = PADS.p139
    pad140 = PADS.p140
    pad141 = PADS.p141
    pad142 = PADS.p142
    pad143 = PADS.p143
    pad144 = PADS.p144
    pad145 = PADS.p145
    pad146 = PADS.p146
    pad147 = PADS.p147
    pad148 = PADS.p148
    pad149 = PADS.p149
    pad150 = PADS.p150
    pad151 = PADS.p151
    pad152 = PADS.p152
    pad153 = PADS.p153
    pad154 = PADS.p154
    pad155 = PADS.p155
    pad156 = PADS.p156
    pad157 = PADS.p157
    pad158 = PADS.p158
    pad159 = PADS.p159
    pad160 = PADS.p160
    pad161 = PADS.p161
    pad162 = PADS.p162
    pad163 = PADS.p163
    pad164 = PADS.p164
    pad165 = PADS.p165
    pad166 = PADS.p166
    pad167 = PADS.p167
    pad168 = PADS.p168
    pad169 = PADS.p169
    pad170 = PADS.p170
    pad171 = PADS.p171
    pad172 = PADS.p172
    pad173 = PADS.p173
    pad174 = PADS.p174
    pad175 = PADS.p175
    pad176 = PADS.p176
    pad177 = PADS.p177
    pad178 = PADS.p178
    pad179 = PADS.p179
    pad180 = PADS.p180
    pad181 = PADS.p181
    pad182 = PADS.p182
    pad183 = PADS.p183
    pad184 = PADS.p184
    pad185 = PADS.p185
    pad186 = PADS.p186
    pad187 = PADS.p187
    pad188 = PADS.p188
    pad189 = PADS.p189
    pad190 = PADS.p190
    pad191 = PADS.p191
    pad192 = PADS.p192
    pad193 = PADS.p193
    pad194 = PADS.p194
    pad195 = PADS.p195
    pad196 = PADS.p196
    pad197 = PADS.p197
    pad198 = PADS.p198
    pad199 = PADS.p199
    pad200 = PADS.p200
    pad201 = PADS.p201
    pad202 = PADS.p202
    pad203 = PADS.p203
    pad204 = PADS.p204
    pad205 = PADS.p205
    pad206 = PADS.p206
    pad207 = PADS.p207
    pad208 = PADS.p208
    pad209 = PADS.p209
    pad210 = PADS.p210
    pad211 = PADS.p211
    pad212 = PADS.p212
    pad213 = PADS.p213
    pad214 = PADS.p214
    pad215 = PADS.p215
    pad216 = PADS.p216
    pad217 = PADS.p217
    pad218 = PADS.p218
    pad219 = PADS.p219
    pad220 = PADS.p220
    pad221 = PADS.p221
    pad222 = PADS.p222
    pad223 = PADS.p223
    pad224 = PADS.p224
    pad225 = PADS.p225
    pad226 = PADS.p226
    pad227 = PADS.p227
    pad228 = PADS.p228
    pad229 = PADS.p229
    pad230 = PADS.p230
    pad231 = PADS.p231
    pad232 = PADS.p232
    pad233 = PADS.p233
    pad234 = PADS.p234
    pad235 = PADS.p235
    pad236 = PADS.p236
    pad237 = PADS.p237
    pad238 = PADS.p238
    pad239 = PADS.p239
    pad240 = PADS.p240
    pad241 = PADS.p241
    pad242 = PADS.p242
    pad243 = PADS.p243
    pad244 = PADS.p244
    pad245 = PADS.p245
    pad246 = PADS.p246
    pad247 = PADS.p247
    pad248 = PADS.p248
    pad249 = PADS.p249
    pad250 = PADS.p250
    pad251 = PADS.p251
    pad252 = PADS.p252
    pad253 = PADS.p253
    pad254 = PADS.p254
    pad255 = PADS.p255
    pad256 = PADS.p256
    pad257 = PADS.p257
    pad258 = PADS.p258
    pad259 = PADS.p259
    pad260 = PADS.p260
    pad261 = PADS.p261
    pad262 = PADS.p262
    pad263 = PADS.p263
    pad264 = PADS.p264
    pad265 = PADS.p265
    pad266 = PADS.p266
    pad267 = PADS.p267
    pad268 = PADS.p268
    pad269 = PADS.p269
    pad270 = PADS.p270
    pad271 = PADS.p271
    pad272 = PADS.p272
    pad273 = PADS.p273
    pad274 = PADS.p274
    pad275 = PADS.p275
    pad276 = PADS.p276
    pad277 = PADS.p277
    pad278 = PADS.p278
    pad279 = PADS.p279
    pad280 = PADS.p280
    pad281 = PADS.p281
    pad282 = PADS.p282
    pad283 = PADS.p283
    pad284 = PADS.p284
    pad285 = PADS.p285
    pad286 = PADS.p286
    pad287 = PADS.p287
    pad288 = PADS.p288
    pad289 = PADS.p289
    pad290 = PADS.p290
    pad291 = PADS.p291
    pad292 = PADS.p292
    pad293 = PADS.p293
    pad294 = PADS.p294
    pad295 = PADS.p295
    pad296 = PADS.p296
    pad297 = PADS.p297
    pad298 = PADS.p298
    pad299 = PADS.p299
    pad300 = PADS.p300
    pad301 = PADS.p301
    pad302 = PADS.p302
    pad303 = PADS.p303
    pad304 = PADS.p304
    pad305 = PADS.p305
    pad306 = PADS.p306
    pad307 = PADS.p307
    pad308 = PADS.p308
    pad309 = PADS.p309
    nz0 = NOISE.impl
    Holder0.mod.api.STORED = 'stored'
    v0 = 'stored'
    v1 = {0: dflt1.api.core.core.VALUE for _ in range(1)}[0]
    def inner_2():
        return bravo.core.util.impl.VALUE
    v2 = inner_2()
    return (v0, v1, v2)
