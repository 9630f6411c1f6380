/**
 * The library's version, written into result files so a run can be rebuilt and a later version
 * can tell that its figures may differ. A test keeps it equal to package.json's version.
 *
 * @category Results
 */
export const VERSION = '0.4.0';
