"""Chinese provinces and major cities in pinyin (lower case, no spaces).

Used by the name matcher: pinyin place names often lie one or two letters apart
(Guangzhou/Quanzhou, Suzhou/Xuzhou, Changzhou/Cangzhou), so two different
places must never pass for a typo of each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["CHINA_PLACES", "geonames_cn_places"]

_PROVINCES = """
beijing tianjin shanghai chongqing hebei shanxi liaoning jilin heilongjiang jiangsu zhejiang anhui fujian
jiangxi shandong henan hubei hunan guangdong hainan sichuan guizhou yunnan shaanxi gansu qinghai taiwan
neimenggu innermongolia guangxi xizang tibet ningxia xinjiang hongkong xianggang macau aomen
"""

_CITIES = """
shijiazhuang tangshan qinhuangdao handan xingtai baoding zhangjiakou chengde cangzhou langfang hengshui
taiyuan datong yangquan changzhi jincheng shuozhou jinzhong yuncheng xinzhou linfen lvliang
huhehaote hohhot baotou wuhai chifeng tongliao ordos eerduosi hulunbeier bayannaoer wulanchabu
shenyang dalian anshan fushun benxi dandong jinzhou yingkou fuxin liaoyang panjin tieling chaoyang huludao
changchun siping liaoyuan tonghua baishan songyuan baicheng yanji
haerbin harbin qiqihaer jixi hegang shuangyashan daqing yichun jiamusi qitaihe mudanjiang heihe suihua
nanjing wuxi xuzhou changzhou suzhou nantong lianyungang huaian yancheng yangzhou zhenjiang taizhou suqian
jiangyin kunshan changshu zhangjiagang
hangzhou ningbo wenzhou jiaxing huzhou shaoxing jinhua quzhou zhoushan lishui yiwu cixi
hefei wuhu bengbu huainan maanshan huaibei tongling anqing huangshan chuzhou fuyang suzhou luan bozhou
chizhou xuancheng
fuzhou xiamen putian sanming quanzhou zhangzhou nanping longyan ningde jinjiang shishi
nanchang jingdezhen pingxiang jiujiang xinyu yingtan ganzhou jian yichun fuzhou shangrao
jinan qingdao zibo zaozhuang dongying yantai weifang jining taian weihai rizhao linyi dezhou liaocheng
binzhou heze laiwu
zhengzhou kaifeng luoyang pingdingshan anyang hebi xinxiang jiaozuo puyang xuchang luohe sanmenxia nanyang
shangqiu xinyang zhoukou zhumadian
wuhan huangshi shiyan yichang xiangyang ezhou jingmen xiaogan jingzhou huanggang xianning suizhou enshi
changsha zhuzhou xiangtan hengyang shaoyang yueyang changde zhangjiajie yiyang chenzhou yongzhou huaihua
loudi
guangzhou shaoguan shenzhen zhuhai shantou foshan jiangmen zhanjiang maoming zhaoqing huizhou meizhou
shanwei heyuan yangjiang qingyuan dongguan zhongshan chaozhou jieyang yunfu puning
nanning liuzhou guilin wuzhou beihai fangchenggang qinzhou guigang yulin baise hezhou hechi laibin
chongzuo
haikou sanya danzhou
chengdu zigong panzhihua luzhou deyang mianyang guangyuan suining neijiang leshan nanchong meishan yibin
guangan dazhou yaan bazhong ziyang
guiyang liupanshui zunyi anshun bijie tongren
kunming qujing yuxi baoshan zhaotong lijiang puer lincang dali
lasa lhasa rikaze
xian tongchuan baoji xianyang weinan yanan hanzhong ankang shangluo
lanzhou jiayuguan jinchang baiyin tianshui wuwei zhangye pingliang jiuquan qingyang dingxi longnan
xining haidong yinchuan shizuishan wuzhong guyuan zhongwei
urumqi wulumuqi karamay kelamayi turpan tulufan hami kumul changji bole korla kuerle aksu akesu kashgar kashi
hotan hetian yining kuitun tacheng altay aletai shihezi aral alaer wujiaqu tumxuk beitun
"""

CHINA_PLACES: frozenset[str] = frozenset((_PROVINCES + _CITIES).split())


_DATA = Path(__file__).resolve().parent / "data"


@cache
def geonames_cn_places() -> frozenset[str]:
    """Names of Chinese populated places from GeoNames (``data/places_cn_geonames.txt``, CC BY 4.0).

    About 9,400 towns, counties and cities, many of them spelt like pinyin brand words (*Huafu* is
    also a town), so the name matcher takes one for a place only where a name puts it in brackets,
    as Chinese company names do with the place a company is registered in: 合盛硅业(鄯善) =
    *Hoshine Silicon Industry (Shanshan)*.
    """
    text = (_DATA / "places_cn_geonames.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
