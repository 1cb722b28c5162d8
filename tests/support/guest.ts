/** The tests that run the OS tasks' Linux guest are opt-in: `OS_VM_TESTS=1` (it must be built: `npm run build:guest`). */
export const OS_VM_TESTS = process.env.OS_VM_TESTS === '1';
