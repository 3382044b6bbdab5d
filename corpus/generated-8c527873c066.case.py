# cloudpickle-submodule-fuzz corpus entry (format 1): code you choose to run, like a test file; never a pickle.
#   Replay: python -m fuzz replay.  Standalone reproducer: python -m fuzz repro THIS_FILE.
# format: 1
# name: "generated"
# baseline: "legacy"
# candidate: "proposed"
# verdicts: {"3.11": "regression"}
# tags: ["via:module-alias", "at:for-loop", "use:del", "exec:live", "via:import-as", "at:nested-def", "via:default-arg", "at:while-loop", "use:call", "fn:plain", "universe:packages", "node:module", "node:namespace", "node:package", "init:eager", "init:reexport", "init:lazy", "noise:local", "need:import-as:charlie.util.sub.tools", "need:default-arg:charlie.util.tools.data", "size:large"]
# found: "2026-11-25"
# entry: "f"
# parent_imports: []
# needed: ["charlie.util.sub.tools", "charlie.util.tools.data"]
#
#   universe:
#     alpha/
#       data/
#         __init__.py
#         api/
#           data.py
#           tools.py
#           util.py
#       leaf/
#         leaf/
#           __init__.py
#           core.py
#           data.py
#           leaf.py
#         sub/
#           core.py
#       util.py
#     charlie/
#       __init__.py
#       impl/
#         __init__.py
#         util.py
#       leaf/
#         tools/
#           __init__.py
#           sub.py
#       util/
#         __init__.py
#         api/
#           api.py
#           data.py
#           sub.py
#         sub/
#           tools.py
#         tools/
#           api.py
#           data.py
#           tools.py
# --- file: charlie/__init__.py ---
from . import impl
from . import util as shortcut

VALUE = 'charlie'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('leaf',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: charlie/impl/__init__.py ---
from . import util
from . import util as other

VALUE = 'charlie.impl'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/impl/util.py ---
VALUE = 'charlie.impl.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/__init__.py ---
from . import tools
from . import sub
from . import api

VALUE = 'charlie.util'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/sub/tools.py ---
VALUE = 'charlie.util.sub.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/tools/data.py ---
VALUE = 'charlie.util.tools.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/tools/tools.py ---
VALUE = 'charlie.util.tools.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/tools/api.py ---
VALUE = 'charlie.util.tools.api'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/api/data.py ---
VALUE = 'charlie.util.api.data'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/api/sub.py ---
VALUE = 'charlie.util.api.sub'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/util/api/api.py ---
VALUE = 'charlie.util.api.api'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/tools/__init__.py ---
from . import sub
from . import sub as shortcut

VALUE = 'charlie.leaf.tools'
SPARE = 1


def call():
    return VALUE
# --- file: charlie/leaf/tools/sub.py ---
VALUE = 'charlie.leaf.tools.sub'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/util.py ---
VALUE = 'alpha.util'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/data/__init__.py ---
from . import api as other

VALUE = 'alpha.data'
SPARE = 1


def call():
    return VALUE


def __getattr__(attr):
    if attr in ('api',):
        import importlib

        return importlib.import_module(__name__ + '.' + attr)
    raise AttributeError(attr)
# --- file: alpha/data/api/data.py ---
VALUE = 'alpha.data.api.data'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/data/api/util.py ---
VALUE = 'alpha.data.api.util'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/data/api/tools.py ---
VALUE = 'alpha.data.api.tools'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/sub/core.py ---
VALUE = 'alpha.leaf.sub.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/leaf/__init__.py ---
from . import data as facade

VALUE = 'alpha.leaf.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/leaf/leaf.py ---
VALUE = 'alpha.leaf.leaf.leaf'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/leaf/core.py ---
VALUE = 'alpha.leaf.leaf.core'
SPARE = 1


def call():
    return VALUE
# --- file: alpha/leaf/leaf/data.py ---
VALUE = 'alpha.leaf.leaf.data'
SPARE = 1


def call():
    return VALUE
# --- case source ---
import charlie
import charlie.util.sub.tools
import charlie.util.sub as mod1
import charlie.util.tools.data
import types
alias0 = charlie
PADS = types.SimpleNamespace(**{f'p{k}': k for k in range(158)})


def f(dflt2=charlie):
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
    leaf = 0
    for _ in range(1):
        del alias0.impl.SPARE
        v0 = 'deleted'
    def inner_1():
        del mod1.tools.SPARE
        return 'deleted'
    v1 = inner_1()
    n2 = 1
    while n2:
        n2 -= 1
        v2 = dflt2.util.tools.data.call()
    return (v0, v1, v2)
