// @lhncbc/ucum-lhc ships no type declarations; these cover the one call the hub makes.
declare module '@lhncbc/ucum-lhc' {
  export interface UcumUnit {
    /** A unit whose conversion is not a factor (e.g. Cel, [pH]). */
    isSpecial_: boolean;
    isArbitrary_: boolean;
  }
  export interface ConvertUnitResult {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
    fromUnit?: UcumUnit;
    toUnit?: UcumUnit;
  }
  export const UcumLhcUtils: {
    getInstance(): {
      convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string, options?: { molecularWeight?: number }): ConvertUnitResult;
    };
  };
}
