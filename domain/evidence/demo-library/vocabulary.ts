/** Words the demo library is made of. Plausible, never real people: names are drawn from common characters at random. */

export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '潘', '袁', '蔡', '蒋', '余',
] as const;

export const MALE_GIVEN = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '斌', '浩', '鹏', '宇', '俊', '峰', '建', '志', '文', '晨'] as const;
export const FEMALE_GIVEN = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '婷', '雪', '琳', '颖', '欣', '慧', '洁', '萍', '玲', '佳', '雨', '梅'] as const;
export const SECOND_GIVEN = ['华', '平', '红', '春', '海', '云', '晓', '国', '嘉', '思', '子', '一', '安', '子', '秀', '宏'] as const;

export interface RegionInfo {
  province: string;
  /** Province abbreviation used in property certificate numbers (粤, 沪...). */
  short: string;
  city: string;
  district: string;
  streets: readonly string[];
}

/** The district codes of identity/DEMO_REGIONS, with what an address there looks like. */
export const REGIONS: Readonly<Record<string, RegionInfo>> = {
  '440305': { province: '广东省', short: '粤', city: '深圳市', district: '南山区', streets: ['科技园路', '南海大道', '桃园路', '学府路'] },
  '440304': { province: '广东省', short: '粤', city: '深圳市', district: '福田区', streets: ['深南大道', '福华路', '莲花路', '彩田路'] },
  '440303': { province: '广东省', short: '粤', city: '深圳市', district: '罗湖区', streets: ['人民南路', '东门路', '宝安南路', '春风路'] },
  '310104': { province: '上海市', short: '沪', city: '上海市', district: '徐汇区', streets: ['漕溪北路', '天钥桥路', '宜山路', '龙华路'] },
  '310115': { province: '上海市', short: '沪', city: '上海市', district: '浦东新区', streets: ['世纪大道', '张杨路', '浦东南路', '锦绣路'] },
  '110105': { province: '北京市', short: '京', city: '北京市', district: '朝阳区', streets: ['建国路', '朝阳北路', '东三环中路', '望京街'] },
  '330106': { province: '浙江省', short: '浙', city: '杭州市', district: '西湖区', streets: ['文三路', '天目山路', '古墩路', '教工路'] },
  '510107': { province: '四川省', short: '川', city: '成都市', district: '武侯区', streets: ['人民南路四段', '科华北路', '武侯祠大街', '一环路南三段'] },
};

/** The platform's own city: residence permits are issued to people registered elsewhere who live here. */
export const LOCAL_REGION_PREFIX = '4403';

export const ETHNICITIES = ['Han', 'Han', 'Han', 'Han', 'Han', 'Han', 'Han', 'Han', 'Zhuang', 'Hui', 'Manchu', 'Uyghur', 'Miao', 'Tujia'] as const;

export const HOSPITALS = ['妇幼保健院', '第一人民医院', '大学附属第一医院', '中心医院', '中医院'] as const;

export const INSTITUTIONS = ['深圳大学', '复旦大学', '浙江大学', '四川大学', '北京理工大学', '南方科技大学', '上海交通大学', '华南理工大学'] as const;

export const MAJORS = ['计算机科学与技术', '会计学', '临床医学', '法学', '土木工程', '英语', '电子信息工程', '工商管理', '汉语言文学'] as const;

export const DEGREES: Readonly<Record<string, string | null>> = {
  secondary: null,
  college: null,
  bachelor: 'bachelor',
  master: 'master',
  doctorate: 'doctorate',
};

export const NAME_WORDS = ['华信', '鹏程', '海纳', '启明', '恒通', '瑞丰', '星河', '蓝海', '金桥', '青禾', '万象', '同创', '博远', '嘉禾', '东升'] as const;
export const INDUSTRIES = [
  { word: '科技', scope: '软件开发；信息技术咨询服务；数据处理和存储支持服务' },
  { word: '贸易', scope: '日用百货销售；五金产品零售；货物进出口' },
  { word: '餐饮管理', scope: '餐饮服务；食品销售；餐饮管理' },
  { word: '建筑工程', scope: '建设工程施工；建筑材料销售；工程管理服务' },
  { word: '文化传播', scope: '组织文化艺术交流活动；广告设计、代理；会议及展览服务' },
  { word: '物流', scope: '普通货物仓储服务；国内货物运输代理；装卸搬运' },
  { word: '医疗器械', scope: '第二类医疗器械销售；医疗器械租赁；技术服务' },
] as const;

export const OFFENCES = ['盗窃罪，判处有期徒刑一年', '危险驾驶罪，判处拘役三个月', '诈骗罪，判处有期徒刑二年'] as const;
export const DIAGNOSES = ['高血压', '2型糖尿病', '支气管炎', '腰椎间盘突出', '过敏性鼻炎'] as const;
